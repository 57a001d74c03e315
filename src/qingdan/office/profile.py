"""The private LibreOffice profile every conversion runs in: nothing a document names is
fetched, no macro runs, and the font profile decides the faces.

Each worker gets a fresh profile in its scratch folder (never the user's own, which a
running LibreOffice would lock). Settings, as LibreOffice 7.4 reads them from
`user/registrymodifications.xcu`; `SETTINGS` names each group so the tests can show what
each one blocks on its own:

- `links`: Common/Security/Scripting/BlockUntrustedRefererLinks. A document outside the
  trusted locations (there are none) may not make LibreOffice load a linked picture: a
  linked image in a .docx (r:link, file: or http:) or an .odt (xlink:href) is not read.
  Not enough alone: the Word 97 (.doc) and RTF importers load linked pictures without
  naming the document, so the check does not apply there.
- `proxy`: every Internet protocol through a proxy at 127.0.0.1:9 (the discard port,
  closed): whatever LibreOffice tries to fetch over http, https or ftp fails at once.
- `updates`: Writer's links, fields and charts never updated on load; Calc's links never.
- `macros`: macro security "very high" and macros disabled (loading also asks NEVER_EXECUTE).

Running without a network (launch.py) is a third layer for the network.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from xml.sax.saxutils import escape

from . import fonts

_COMMON = "/org.openoffice.Office.Common"
_INET = "/org.openoffice.Inet/Settings"
_WRITER = "/org.openoffice.Office.Writer/Content/Update"

SETTINGS: dict[str, list[tuple[str, str, str]]] = {
    "links": [(f"{_COMMON}/Security/Scripting", "BlockUntrustedRefererLinks", "true")],
    "proxy": [(_INET, "ooInetProxyType", "2"), (_INET, "ooInetNoProxy", "")]
    + [(_INET, f"ooInet{scheme}Proxy{field}", value)
       for scheme in ("HTTP", "HTTPS", "FTP")
       for field, value in (("Name", "127.0.0.1"), ("Port", "9"))],
    "updates": [(_WRITER, "Link", "0"), (_WRITER, "Field", "false"), (_WRITER, "Chart", "false"),
                ("/org.openoffice.Office.Calc/Content/Update", "Link", "1")],
    "macros": [(f"{_COMMON}/Security/Scripting", "MacroSecurityLevel", "3"),
               (f"{_COMMON}/Security/Scripting", "DisableMacrosExecution", "true")],
    "quiet": [(f"{_COMMON}/Misc", "FirstRun", "false"),
              ("/org.openoffice.Setup/Office", "ooSetupInstCompleted", "true"),
              (f"{_COMMON}/Misc", "ShowTipOfTheDay", "false")],
}
ALL = tuple(SETTINGS)


def registry(groups: tuple[str, ...] = ALL) -> str:
    """registrymodifications.xcu with the settings of the groups named."""
    items = []
    for group in groups:
        for path, name, value in SETTINGS[group]:
            shown = f"<value>{escape(value)}</value>" if value else "<value/>"
            items.append(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                         f"{shown}</prop></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            + "\n".join(items) + "\n</oor:items>\n")


def system_fontconfig() -> str:
    """The fontconfig file the system would read (the user's own choice included)."""
    return os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"


def write(folder: Path, groups: tuple[str, ...] = ALL) -> tuple[Path, Path]:
    """Make a profile in folder; (the profile folder, the fontconfig file)."""
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(registry(groups), "utf-8")
    conf = folder / "fonts.conf"
    conf.write_text(fonts.fontconfig(system_fontconfig()), "utf-8")
    return profile, conf


def identity() -> str:
    """Changes when what the profile makes LibreOffice do changes."""
    return hashlib.sha256((registry() + fonts.identity()).encode("utf-8")).hexdigest()


def sockets(profile: Path, pipe: str, uid: int) -> list[Path]:
    """Where LibreOffice puts its sockets: the UNO pipe, and the single-instance pipe
    named after an MD5 of the profile's URL (UTF-16, bytes as unpadded hex)."""
    url = profile.as_uri()
    digest = hashlib.md5(url.encode("utf-16-le"), usedforsecurity=False).digest()
    ipc = "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest)
    return [Path(root, f"OSL_PIPE_{uid}_{name}")
            for root in ("/tmp", "/var/tmp") for name in (pipe, ipc)]
