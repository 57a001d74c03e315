"""One LibreOffice worker: start soffice, then convert .docx files to PDF on request.

Run as a script by a Python that can `import uno` (Debian's /usr/bin/python3 with
python3-uno, or the python shipped inside LibreOffice on Windows and macOS), never imported
by qingdan itself:

    python3 unobridge.py SOFFICE PIPE PROFILE

It starts SOFFICE headless with a private profile (PROFILE, a folder) listening on a
named pipe (PIPE), connects, and prints one JSON line: {"ready": true, "pid": N} or
{"ready": false, "error": "..."}. Then, for every JSON line {"src": docx, "dst": pdf} read
from standard input, it converts and answers {"ok": true} or {"ok": false, "error": "...",
"fatal": bool}; after a fatal answer (LibreOffice died) it exits. End of input stops
LibreOffice and the script. qingdan (render/pdf.py) starts one such worker per core.
"""

import json
import os
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_TIMEOUT = 60.0


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def start(soffice, pipe, profile):
    """(process, desktop) of a fresh soffice connected over the pipe."""
    url = uno.systemPathToFileUrl(os.path.abspath(profile))
    process = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + url, "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--nolockcheck", "--nofirststartwizard",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            context = resolver.resolve(
                f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception as error:
            if process.poll() is not None:
                raise RuntimeError(f"soffice exited with status {process.returncode}") from error
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"soffice did not answer in {CONNECT_TIMEOUT:g} s") from error
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    return process, desktop


def no_autospacing(document):
    """Turn off LibreOffice's automatic space between Chinese and Latin or digits.

    qingdan's .docx asks Word and WPS for that (w:autoSpaceDE and w:autoSpaceDN = 0), but
    LibreOffice's DOCX import ignores both, so "2024年3月" would print as "2024 年 3 月".
    Paragraph styles carry the setting; paragraphs with their own value are rare enough
    that the styles suffice (the tests check the printed dates).
    """
    styles = document.StyleFamilies.getByName("ParagraphStyles")
    for i in range(styles.Count):
        style = styles.getByIndex(i)
        try:
            style.ParaIsCharacterDistance = False
        except Exception:
            pass  # a style without Asian typography properties


def convert(desktop, src, dst):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
        (prop("Hidden", True), prop("ReadOnly", True),
         prop("FilterName", "MS Word 2007 XML"),
         prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
         prop("UpdateDocMode", 0)))  # NO_UPDATE: no links fetched
    if document is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        no_autospacing(document)
        # The blank page a section that starts on an even page may need (a notice's end
        # block on the last even side) is a page of the set: export it.
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)),
                            (prop("FilterName", "writer_pdf_Export"),
                             prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue",
                                                        (prop("IsSkipEmptyPages", False),)))))
    finally:
        document.close(True)


def fatal(error):
    """Whether the error means the connection to LibreOffice is gone."""
    name = type(error).__name__
    text = str(error)
    return name in ("DisposedException",) or "disposed" in text.lower() or \
        "Binary URP bridge" in text or isinstance(error, (BrokenPipeError, ConnectionError))


def main(argv):
    soffice, pipe, profile = argv[1:4]
    try:
        process, desktop = start(soffice, pipe, profile)
    except Exception as error:
        say({"ready": False, "error": f"{type(error).__name__}: {error}"})
        return 1
    say({"ready": True, "pid": process.pid})
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                convert(desktop, request["src"], request["dst"])
                say({"ok": True})
            except Exception as error:
                dead = fatal(error) or process.poll() is not None
                say({"ok": False, "error": f"{type(error).__name__}: {error}",
                     "fatal": dead})
                if dead:
                    return 1
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            process.wait(timeout=10)
        except Exception:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
