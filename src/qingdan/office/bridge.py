"""One LibreOffice worker: start soffice.bin, then convert files on request.

Run as a script by a Python that can `import uno` (Debian's /usr/bin/python3 with
python3-uno, or the python shipped inside LibreOffice on Windows and macOS), never imported
by qingdan itself:

    python3 bridge.py SOFFICE PIPE PROFILE PARENT

It first asks the kernel to kill it when its parent dies (Linux), and exits at once if
PARENT, the qingdan that started it, is already gone. It starts SOFFICE (soffice.bin,
started again when it asks to be, as the oosplash wrapper would) headless with the
profile PROFILE, listening on the named pipe PIPE, and prints one JSON line:
{"ready": true, "pid": N} or {"ready": false, "error": "..."}. Then, for every JSON line
{"src", "dst", "load", "store", "pdf", "pictures"} read from standard input (the import
and export filter names; "pdf": true to set the Chinese-Latin spacing first; "pictures":
false to remove every picture first) it converts and answers
{"ok": true} or {"ok": false, "error": "...", "fatal": bool}; after a fatal answer
(LibreOffice died) it exits. End of input stops LibreOffice and the script; so does the
end of its parent while a conversion is under way.
"""

import ctypes
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_TIMEOUT = 60.0
RESTART = (79, 81)  # soffice.bin's exit codes asking for a restart (crash, new profile)
PR_SET_PDEATHSIG = 1


def die_with(parent):
    """SIGKILL when the parent dies (Linux), and leave now if it already has."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def say(message):
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def launch(soffice, pipe, url):
    """soffice.bin, killed by the kernel when this script dies (Linux)."""
    me = os.getpid()

    def child():
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
            if os.getppid() != me:
                os._exit(1)

    return subprocess.Popen(
        [soffice, "-env:UserInstallation=" + url, "--headless", "--invisible", "--nologo",
         "--norestore", "--nodefault", "--nolockcheck", "--nofirststartwizard",
         f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=child if sys.platform != "win32" else None)  # noqa: PLW1509 (one thread)


def start(soffice, pipe, profile):
    """(process, context) of a fresh soffice connected over the pipe."""
    url = uno.systemPathToFileUrl(os.path.abspath(profile))
    process = launch(soffice, pipe, url)
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
            status = process.poll()
            if status in RESTART:  # a new profile was made: start again, as oosplash does
                process = launch(soffice, pipe, url)
                continue
            if status is not None:
                raise RuntimeError(f"soffice exited with status {status}") from error
            if time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"soffice did not answer in {CONNECT_TIMEOUT:g} s") from error
            time.sleep(0.05)
    return process, context


def desktop_of(context):
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                            context)


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


def no_pictures(document):
    """Remove every picture before a file is saved for the importer, which reads text only:
    a picture linked to a file or an address is then never loaded to be saved."""
    try:
        graphics = document.GraphicObjects
        for name in list(graphics.ElementNames):
            graphics.getByName(name).dispose()
    except Exception:
        pass  # a document without pictures, or another kind of document


def document_service(context, filter_name):
    """The document service an import filter loads into (com.sun.star.text.TextDocument
    for Word's and ODF's text filters), or None."""
    factory = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.document.FilterFactory", context)
    if not factory.hasByName(filter_name):
        return None
    return {p.Name: p.Value for p in factory.getByName(filter_name)}.get("DocumentService")


def load_document(context, request):
    """The document, opened read-only with no macro run and no link updated.

    A conversion to PDF needs the layout a view makes. Any other is loaded into a model
    with no view at all (as `soffice --convert-to` does): a view of a document with
    comments builds the comments' side panes from UI files the -nogui packages leave
    out, and LibreOffice aborts (NoSuchElementException in CreateInterimBuilder)."""
    load = [prop("ReadOnly", True),
            prop("MacroExecutionMode", 0),  # NEVER_EXECUTE
            prop("UpdateDocMode", 0)]  # NO_UPDATE: no links updated
    url = uno.systemPathToFileUrl(os.path.abspath(request["src"]))
    if request.get("load"):
        load.append(prop("FilterName", request["load"]))
        service = None if request.get("pdf") else document_service(context,
                                                                    request["load"])
        if service:
            document = context.ServiceManager.createInstanceWithContext(service, context)
            document.load(tuple([*load, prop("URL", url)]))
            return document
    return desktop_of(context).loadComponentFromURL(url, "_blank", 0,
                                                    tuple([prop("Hidden", True), *load]))


def convert(context, request):
    document = load_document(context, request)
    if document is None:
        raise ValueError("LibreOffice could not open the document")
    try:
        if request.get("pdf"):
            no_autospacing(document)
        if not request.get("pictures", True):
            no_pictures(document)
        store = [prop("FilterName", request["store"])]
        if request.get("pdf"):
            # The blank page a section that starts on an even page may need (a notice's
            # end block on the last even side) is a page of the set: export it.
            store.append(prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue",
                                                    (prop("IsSkipEmptyPages", False),))))
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(request["dst"])),
                            tuple(store))
    finally:
        document.close(True)


def fatal(error):
    """Whether the error means the connection to LibreOffice is gone."""
    name = type(error).__name__
    text = str(error)
    return name in ("DisposedException",) or "disposed" in text.lower() or \
        "Binary URP bridge" in text or isinstance(error, (BrokenPipeError, ConnectionError))


def read_requests(lines, parent, process):
    """Standard input's lines into a queue (None at its end). At the end, if qingdan is
    gone, LibreOffice is killed at once: the main thread may be stuck in a conversion."""
    for line in sys.stdin:
        lines.put(line)
    lines.put(None)
    if os.getppid() != parent:
        process.kill()
        os._exit(1)


def main(argv):
    soffice, pipe, profile, parent = argv[1], argv[2], argv[3], int(argv[4])
    die_with(parent)
    try:
        process, context = start(soffice, pipe, profile)
    except Exception as error:
        say({"ready": False, "error": f"{type(error).__name__}: {error}"})
        return 1
    say({"ready": True, "pid": process.pid})
    lines = queue.Queue()
    threading.Thread(target=read_requests, args=(lines, parent, process), daemon=True).start()
    try:
        while True:
            line = lines.get()
            if line is None:
                break
            if not line.strip():
                continue
            try:
                convert(context, json.loads(line))
                say({"ok": True})
            except Exception as error:
                dead = fatal(error) or process.poll() is not None
                say({"ok": False, "error": f"{type(error).__name__}: {error}",
                     "fatal": dead})
                if dead:
                    return 1
    finally:
        try:
            desktop_of(context).terminate()
        except Exception:
            pass
        try:
            process.wait(timeout=10)
        except Exception:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
