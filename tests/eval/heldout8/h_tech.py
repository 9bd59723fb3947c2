"""Set H's technical documents (language ``code``), each container new to the held-out sets: WireGuard
configs, .pypirc, ~/.git-credentials, Windows .reg exports, DICOM header dumps (dcmdump) and OFX bank files.
Every sensitive kind has a look-alike in the same container: keys read from files, keyring-backed uploads,
credential-helper settings, policy keys, a de-identified phantom scan, a public price list."""

from __future__ import annotations

import base64
import string

from .doc import Ctx, Out

_SURNAMES = ("Okafor", "Lindqvist", "Moreau", "Brennan", "Kowalczyk", "Haddad", "Van Dijk", "Castellanos")
_GIVEN = ("Amara", "Henrik", "Claire", "Declan", "Agnieszka", "Yusuf", "Femke", "Lucía")
_HOSTS = ("vpn-gw-01", "edge-ams", "office-lon", "lab-fra", "branch-dub")


def _b64key(ctx: Ctx) -> str:
    return base64.b64encode(bytes(ctx.rng.getrandbits(8) for _ in range(32))).decode()


def _tok(ctx: Ctx, n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(ctx.rng.choice(alphabet) for _ in range(n))


def _user(ctx: Ctx) -> str:
    return f"{ctx.pick(_GIVEN).lower()}.{ctx.pick(_SURNAMES).lower().replace(' ', '')}"


# ---- WireGuard -------------------------------------------------------------------------------------------
def _peers(ctx: Ctx) -> str:
    out = []
    for _ in range(ctx.rng.randrange(1, 4)):
        out.append(
            f"\n[Peer]\n# {ctx.pick(_HOSTS)}\nPublicKey = {_b64key(ctx)}\n"
            f"AllowedIPs = 10.{ctx.rng.randrange(0, 255)}.{ctx.rng.randrange(0, 255)}.0/24\n"
            f"Endpoint = {ctx.pick(_HOSTS)}.example.net:51820\nPersistentKeepalive = 25\n"
        )
    return "".join(out)


def wireguard_private(ctx: Ctx) -> Out:
    text = (
        f"[Interface]\nAddress = 10.{ctx.rng.randrange(0, 255)}.0.{ctx.rng.randrange(2, 250)}/32\n"
        f"PrivateKey = {_b64key(ctx)}\nListenPort = 51820\nDNS = 10.0.0.53\n" + _peers(ctx)
    )
    return Out(text, "a WireGuard config with its interface private key", "conf")


def wireguard_public(ctx: Ctx) -> Out:
    text = (
        f"[Interface]\nAddress = 10.{ctx.rng.randrange(0, 255)}.0.{ctx.rng.randrange(2, 250)}/32\n"
        "ListenPort = 51820\n# the private key never leaves the host; wg-quick loads it from root-only storage\n"
        "PostUp = wg set %i private-key /etc/wireguard/%i.key\n" + _peers(ctx)
    )
    return Out(text, "a WireGuard config with peers' public keys, private key read from a file", "conf")


# ---- .pypirc ---------------------------------------------------------------------------------------------
def pypirc_password(ctx: Ctx) -> Out:
    if ctx.k % 2:
        cred = f"username = {_user(ctx)}\npassword = {_tok(ctx, 10)}!{ctx.rng.randrange(10, 99)}\n"
    else:
        cred = f"username = __token__\npassword = pypi-AgEIcHlwaS5vcmc{_tok(ctx, 140, string.ascii_letters + string.digits + '-_')}\n"
    text = (
        "[distutils]\nindex-servers =\n    pypi\n    internal\n\n[pypi]\n" + cred + "\n[internal]\n"
        f"repository = https://pkgs.{ctx.pick(_HOSTS)}.example.net/simple/\nusername = deploy\n"
        f"password = {_tok(ctx, 24)}\n"
    )
    return Out(text, "a .pypirc with a live upload token or password", "pypirc")


def pypirc_keyring(ctx: Ctx) -> Out:
    text = (
        "[distutils]\nindex-servers =\n    pypi\n    internal\n\n[pypi]\nusername = __token__\n"
        "# no password here: twine reads it from the system keyring or TWINE_PASSWORD in CI\n\n[internal]\n"
        f"repository = https://pkgs.{ctx.pick(_HOSTS)}.example.net/simple/\nusername = deploy\n"
    )
    return Out(text, "a .pypirc that keeps no secret (keyring / environment)", "pypirc")


# ---- ~/.git-credentials ----------------------------------------------------------------------------------
def git_credentials(ctx: Ctx) -> Out:
    lines = [
        f"https://{_user(ctx)}:ghp_{_tok(ctx, 36)}@github.com",
        f"https://oauth2:glpat-{_tok(ctx, 20, string.ascii_letters + string.digits + '-_')}@gitlab.{ctx.pick(_HOSTS)}.example.net",
        f"https://{_user(ctx)}:{_tok(ctx, 12)}@bitbucket.org",
    ]
    return Out(
        "\n".join(lines[: 1 + ctx.k % 3]) + "\n", "a git credential store with live tokens", "git-credentials"
    )


def git_credential_config(ctx: Ctx) -> Out:
    helper = ctx.variant(["manager", "cache --timeout=3600", "osxkeychain", "libsecret"])
    text = (
        f"[user]\n\tname = {ctx.pick(_GIVEN)} {ctx.pick(_SURNAMES)}\n"
        f"\temail = {ctx.rng.randrange(100000, 9999999)}+{_user(ctx)}@users.noreply.github.com\n"
        f'[credential]\n\thelper = {helper}\n[credential "https://gitlab.{ctx.pick(_HOSTS)}.example.net"]\n'
        '\tusername = oauth2\n\tuseHttpPath = true\n[url "https://github.com/"]\n\tinsteadOf = git@github.com:\n'
    )
    return Out(text, "a git config naming a credential helper, no token in it", "gitconfig")


# ---- Windows registry exports ----------------------------------------------------------------------------
_WINLOGON = r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon]"


def reg_autologon(ctx: Ctx) -> Out:
    text = (
        "Windows Registry Editor Version 5.00\n\n" + _WINLOGON + "\n"
        '"AutoAdminLogon"="1"\n'
        f'"DefaultUserName"="svc_{ctx.pick(["kiosk", "signage", "lab", "scan"])}"\n'
        f'"DefaultPassword"="{_tok(ctx, 8)}#{ctx.rng.randrange(1000, 9999)}"\n'
        f'"DefaultDomainName"="{ctx.pick(["CORP", "CLINIC", "HQ"])}"\n'
        '"ForceAutoLogon"=dword:00000001\n'
    )
    return Out(text, "a .reg export that sets an auto-logon password in clear", "reg")


def reg_policy(ctx: Ctx) -> Out:
    text = (
        "Windows Registry Editor Version 5.00\n\n" + _WINLOGON + "\n"
        '"AutoAdminLogon"="0"\n'
        '"DefaultPassword"=-\n'
        f'"LegalNoticeCaption"="{ctx.pick(["Notice", "Authorised use only"])}"\n\n'
        r"[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System]" + "\n"
        f'"InactivityTimeoutSecs"=dword:{ctx.rng.choice([300, 600, 900]):08x}\n'
        '"DisableCAD"=dword:00000000\n'
    )
    return Out(text, "a .reg export that removes the stored password and sets policy", "reg")


# ---- DICOM header dumps ----------------------------------------------------------------------------------
def _dcm(tag: str, vr: str, value: str, label: str) -> str:
    return f"({tag}) {vr} [{value}]".ljust(48) + f"#  {len(value):3d}, 1 {label}\n"


_STUDIES = (
    ("MR BRAIN W/WO CONTRAST", "suspected MS relapse, new optic neuritis"),
    ("CT CHEST HIGH RES", "follow-up of biopsy-proven adenocarcinoma"),
    ("US OBSTETRIC 2ND TRIM", "twin pregnancy, previous miscarriage"),
    ("PET-CT WHOLE BODY", "lymphoma restaging after 4 cycles"),
)


def dicom_patient(ctx: Ctx) -> Out:
    study, history = ctx.variant(_STUDIES)
    d = ctx.day(1940, 2004)
    text = (
        "# Dicom-File-Format\n\n# Dicom-Meta-Information-Header\n"
        + _dcm("0002,0010", "UI", "1.2.840.10008.1.2.1", "TransferSyntaxUID")
        + "\n# Dicom-Data-Set\n"
        + _dcm("0008,0020", "DA", ctx.day(2025, 2026).strftime("%Y%m%d"), "StudyDate")
        + _dcm(
            "0008,0080", "LO", f"{ctx.pick(['St Brigid', 'Westerlund', 'Mercy'])} Hospital", "InstitutionName"
        )
        + _dcm("0008,1030", "LO", study, "StudyDescription")
        + _dcm("0010,0010", "PN", f"{ctx.pick(_SURNAMES).upper()}^{ctx.pick(_GIVEN).upper()}", "PatientName")
        + _dcm("0010,0020", "LO", f"MRN{ctx.rng.randrange(1000000, 9999999)}", "PatientID")
        + _dcm("0010,0030", "DA", d.strftime("%Y%m%d"), "PatientBirthDate")
        + _dcm("0010,0040", "CS", ctx.pick(["F", "M"]), "PatientSex")
        + _dcm("0010,21b0", "LT", history, "AdditionalPatientHistory")
    )
    return Out(text, "a DICOM header dump naming a patient, birth date and clinical history", "dump")


def dicom_phantom(ctx: Ctx) -> Out:
    study, _ = ctx.variant(_STUDIES)
    text = (
        "# Dicom-File-Format\n\n# Dicom-Meta-Information-Header\n"
        + _dcm("0002,0010", "UI", "1.2.840.10008.1.2.1", "TransferSyntaxUID")
        + "\n# Dicom-Data-Set\n"
        + _dcm("0008,0020", "DA", ctx.day(2025, 2026).strftime("%Y%m%d"), "StudyDate")
        + _dcm(
            "0008,1030",
            "LO",
            f"QA {study.split()[0]} {ctx.pick(['WATER', 'ACR', 'CATPHAN'])} PHANTOM",
            "StudyDescription",
        )
        + _dcm("0010,0010", "PN", ctx.pick(["PHANTOM^WATER", "ANONYMIZED", "QA^DAILY"]), "PatientName")
        + _dcm("0010,0020", "LO", f"QA-{ctx.rng.randrange(1, 99):02d}", "PatientID")
        + _dcm("0010,0030", "DA", "", "PatientBirthDate")
        + _dcm("0012,0062", "CS", "YES", "PatientIdentityRemoved")
        + _dcm("0012,0063", "LO", "DCM:113100\\DCM:113105", "DeidentificationMethod")
    )
    return Out(text, "a DICOM header dump of a de-identified QA phantom scan", "dump")


# ---- OFX bank files --------------------------------------------------------------------------------------
_OFX_HEAD = (
    "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n"
    "COMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n"
)


def ofx_statement(ctx: Ctx) -> Out:
    holder = f"{ctx.pick(_GIVEN).upper()} {ctx.pick(_SURNAMES).upper()}"
    tx = [
        (
            "CREDIT",
            ctx.money(2400, 6800, 10),
            f"SALARY {ctx.pick(['NORTHWIND', 'CONTOSO', 'FABRIKAM'])} LTD {holder}",
        ),
        ("DEBIT", -ctx.money(700, 1900, 5), "STANDING ORDER RENT FLAT 3"),
        (
            "DEBIT",
            -ctx.rng.randrange(900, 9000) / 100,
            ctx.pick(["FERTILITY CLINIC", "PHARMACY", "GAMBLING CO"]),
        ),
    ]
    rows = "".join(
        f"<STMTTRN><TRNTYPE>{t}<DTPOSTED>2026{ctx.rng.randrange(1, 13):02d}{ctx.rng.randrange(1, 29):02d}"
        f"<TRNAMT>{a:.2f}<FITID>{ctx.rng.randrange(10**9, 10**10)}<NAME>{n}</STMTTRN>\n"
        for t, a, n in tx
    )
    body = (
        "<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260301<LANGUAGE>ENG"
        "</SONRS></SIGNONMSGSRSV1>\n<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>\n"
        f"<STMTRS><CURDEF>{ctx.pick(['GBP', 'EUR'])}\n<BANKACCTFROM><BANKID>{ctx.rng.randrange(100000, 999999)}"
        f"<ACCTID>{ctx.rng.randrange(10**7, 10**8)}<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST>\n{rows}"
        f"</BANKTRANLIST>\n<LEDGERBAL><BALAMT>{ctx.money(100, 9000, 1):.2f}<DTASOF>20260301</LEDGERBAL>\n"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n"
    )
    return Out(_OFX_HEAD + body, "a personal OFX bank statement: account number, salary, payees", "ofx")


_SECS = (
    ("US0378331005", "AAPL", "APPLE INC"),
    ("US5949181045", "MSFT", "MICROSOFT CORP"),
    ("DE0007164600", "SAP", "SAP SE"),
    ("NL0010273215", "ASML", "ASML HOLDING NV"),
    ("FR0000121014", "MC", "LVMH"),
    ("GB0002634946", "BA.", "BAE SYSTEMS PLC"),
)


def ofx_prices(ctx: Ctx) -> Out:
    secs = "".join(
        f"<STOCKINFO><SECINFO><SECID><UNIQUEID>{i}<UNIQUEIDTYPE>ISIN</SECID><SECNAME>{n}<TICKER>{t}"
        f"<UNITPRICE>{ctx.rng.randrange(500, 90000) / 100:.2f}<DTASOF>20260301</SECINFO></STOCKINFO>\n"
        for i, t, n in _SECS[: ctx.rng.randrange(3, 7)]
    )
    body = (
        "<OFX>\n<SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20260301<LANGUAGE>ENG"
        "</SONRS></SIGNONMSGSRSV1>\n<SECLISTMSGSRSV1><SECLIST>\n"
        + secs
        + "</SECLIST></SECLISTMSGSRSV1>\n</OFX>\n"
    )
    return Out(_OFX_HEAD + body, "an OFX security list with public closing prices", "ofx")
