"""Set F, three more containers no earlier set used: an X12 834 benefit-enrolment interchange (members'
names, birth dates, addresses and health-plan coverage), Windows event-log XML (a process-creation event whose
command line carries a password) and a shell history that exports a live HashiCorp Vault token; and their
look-alikes: an X12 850 purchase order between companies, service-state events, and Vault's dev-mode docs."""

from __future__ import annotations

from ..heldout4 import creds
from ..heldout4.orgids import ean13
from .doc import Ctx, Out


def _isa(ctx: Ctx, gs: str, st: str, ver: str) -> tuple[str, str]:
    d = ctx.day()
    ctl = f"{ctx.rng.randrange(10**8, 10**9)}"
    head = (
        f"ISA*00*          *00*          *ZZ*SENDER{ctx.rng.randrange(100, 999)}     *ZZ*RECEIVER01     "
        f"*{d:%y%m%d}*1200*^*00501*{ctl}*0*P*:~\nGS*{gs}*SENDER*RECEIVER*{d:%Y%m%d}*1200*1*X*{ver}~\n"
        f"ST*{st}*0001*{ver}~\n"
    )
    return head, ctl


def x12_834(ctx: Ctx) -> Out:
    head, ctl = _isa(ctx, "BE", "834", "005010X220A1")
    segs = [
        f"BGN*00*{ctx.rng.randrange(10**5)}*{ctx.day():%Y%m%d}*1200****2~",
        "N1*P5*ACME PAYROLL*FI*EMPLOYER~",
    ]
    for _ in range(ctx.rng.randrange(2, 4)):
        first, last = ctx.first_last()
        dob = ctx.day(1955, 2003)
        segs += [
            "INS*Y*18*021*28*A***FT~",
            f"REF*0F*{ctx.rng.randrange(10**8, 10**9)}~",
            f"NM1*IL*1*{last.upper()}*{first.upper()}~",
            f"N3*{ctx.fake.street_address().upper()}~",
            f"DMG*D8*{dob:%Y%m%d}*{ctx.pick(['M', 'F'])}~",
            f"HD*021**HLT*PPO GOLD*{ctx.pick(['EMP', 'ESP', 'FAM'])}~",
        ]
    body = head + "\n".join(segs) + f"\nSE*{len(segs) + 2}*0001~\nGE*1*1~\nIEA*1*{ctl}~\n"
    return Out(body, "X12 834 enrolment: members' names, birth dates, addresses and health coverage", "edi")


def x12_850(ctx: Ctx) -> Out:
    head, ctl = _isa(ctx, "PO", "850", "004010")
    segs = [
        f"BEG*00*SA*PO{ctx.rng.randrange(10**5)}**{ctx.day():%Y%m%d}~",
        f"N1*ST*{ctx.company().upper()}*92*WH01~",
    ]
    for i in range(ctx.rng.randrange(2, 5)):
        segs.append(
            f"PO1*{i + 1}*{ctx.rng.randrange(1, 500)}*EA*{ctx.money(100, 9000) / 100:.2f}**UP*{ean13(ctx.rng)[1:]}~"
        )
    body = (
        head + "\n".join(segs) + f"\nCTT*{len(segs) - 2}~\nSE*{len(segs) + 3}*0001~\nGE*1*1~\nIEA*1*{ctl}~\n"
    )
    return Out(body, "X12 850 purchase order between companies (UPC codes)", "edi")


def _event(ctx: Ctx, eid: int, provider: str, data: list[tuple[str, str]]) -> str:
    d = ctx.day()
    rows = "\n".join(f"    <Data Name='{k}'>{v}</Data>" for k, v in data)
    return (
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>\n  <System>\n"
        f"    <Provider Name='{provider}'/>\n    <EventID>{eid}</EventID>\n"
        f"    <TimeCreated SystemTime='{d:%Y-%m-%d}T0{ctx.rng.randrange(10)}:{ctx.rng.randrange(10, 60)}:11.000Z'/>\n"
        f"    <Computer>SRV-{ctx.rng.randrange(100, 999)}.corp.local</Computer>\n  </System>\n"
        f"  <EventData>\n{rows}\n  </EventData>\n</Event>\n"
    )


def winevent_cmdline_secret(ctx: Ctx) -> Out:
    pwd = creds.password(ctx.rng)
    user = ctx.variant(["svc_backup", "adm.jdoe", "sqlagent"])
    cmd = ctx.variant(
        [
            f"net use \\\\fs01\\backup /user:CORP\\{user} {pwd}",
            f'sqlcmd -S db01 -U sa -P "{pwd}" -Q "BACKUP DATABASE app"',
            f"psexec \\\\srv-02 -u CORP\\{user} -p {pwd} cmd.exe",
        ]
    )
    data = [
        ("SubjectUserName", user),
        ("NewProcessName", "C:\\Windows\\System32\\cmd.exe"),
        ("CommandLine", cmd),
    ]
    return Out(
        _event(ctx, 4688, "Microsoft-Windows-Security-Auditing", data),
        "Windows 4688 event: password on a command line",
        "xml",
    )


def winevent_service_state(ctx: Ctx) -> Out:
    svc = ctx.variant(["Windows Update", "Print Spooler", "Background Intelligent Transfer Service"])
    data = [("param1", svc), ("param2", ctx.pick(["running", "stopped"]))]
    return Out(
        _event(ctx, 7036, "Service Control Manager", data),
        "Windows 7036 event: a service changed state",
        "xml",
    )


def vault_shell_history(ctx: Ctx) -> Out:
    lines = [
        "cd ~/infra",
        f"export VAULT_ADDR=https://vault.{ctx.variant(['corp.lan', 'internal', 'prod.example.net'])}:8200",
        f"export VAULT_TOKEN={creds.vault_token(ctx.rng)}",
        "vault kv get -field=password secret/prod/db",
        "history | tail",
    ]
    return Out("\n".join(lines) + "\n", ".bash_history exporting a live Vault token", "history")


def vault_dev_docs(ctx: Ctx) -> Out:
    body = (
        '## Start a dev server\n\n```shell\n$ vault server -dev -dev-root-token-id="root"\n'
        "$ export VAULT_ADDR='http://127.0.0.1:8200'\n$ export VAULT_TOKEN=\"$(cat ~/.vault-token)\"\n```\n\n"
        "Dev mode keeps everything in memory; never use it in production.\n"
    )
    return Out(body, "Vault dev-mode tutorial: a literal 'root' dev token and an env reference", "md")
