"""Issue 18 (after set G, rules 2026.12-7): credentials in an API client's export (Postman/Insomnia
`{"key": ..., "value": ...}` entries), in a client's own short form on a command line (the MySQL client's
attached `-pSECRET`, curl's `-u user:SECRET`), and the shell's working directory (`PWD=/srv` in sudo logs
and environment dumps), which is not a password. Every example was written for this test; each has a
look-alike on the other side."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


@pytest.mark.parametrize(
    "text",
    [
        "mysqldump -u backup -pK8s!vQ2xLm9 shop > shop.sql",
        "May 2 01:34:19 db1 sudo[52]: ops : COMMAND=/usr/bin/mariadb -u root -pWq7tLs0pXe21 -e 'SELECT 1'",
        "curl --user admin:Zq81LmxP0aRt https://grafana.example.org/api/admin/users",
        "curl -s -u deploy:Hn4kW9qPz2Ls https://ci.example.net/job/build",
        '{"auth": {"type": "bearer", "bearer": [{"key": "token", "value": "9f1c2e7ab04d4e55.Kx8QpLmN2rTz"}]}}',
        '{"values": [{"key": "client_secret", "value": "s3Kr1t-Zx9QpLmN2rTzW", "enabled": true}]}',
    ],
)
def test_a_client_credential_is_restricted(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert any(r.startswith("password_assignment") for r in tags.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "docker run -u 1000:1000 -v /srv:/srv registry.example.org/app:1.4",
        "Run `mysql -u root -p` and type the password when it asks.",
        "mysql -u root -p$MYSQL_PWD -e 'SHOW DATABASES'",
        '{"auth": {"type": "apikey", "apikey": [{"key": "value", "value": "{{apiKey}}"}]}}',
        '{"variable": [{"key": "baseUrl", "value": "https://api.example.com/v1"}]}',
        "Jun 2 14:02:22 bastion sudo[1]: deploy : TTY=pts/3 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/uptime",
        "PWD=/home/ana\nOLDPWD=/tmp\nSHELL=/bin/bash\nLANG=C.UTF-8",
    ],
)
def test_a_look_alike_is_not(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert not any(r.startswith("password_assignment") for r in tags.reasons), tags.reasons
