"""Weigh the main pages as a first visit in Chromium sees them, and print a table (and screenshots).

Usage (~2 min idle, 10 min on a loaded machine: a throw-away SQLite demo, collectstatic, gunicorn with the
production static handling):
    .venv/bin/python -m bench.page_weight [--screenshots DIR] [--compare]

Each page is loaded in a fresh browser context (empty cache) with Chromium's own Accept-Encoding (br, gzip):
"transféré" is what crossed the wire (headers + encoded bodies, from the DevTools protocol), "CSS analysé" the
decoded size of the stylesheets the page loaded, "JS" the decoded size of its scripts. The Espace Coop page is
weighed logged in as the demo advisor (its session cookie copied into the fresh context).
--compare renders each page twice, with the generated DSFR subset and with django-dsfr's full stylesheets (the
page's links swapped in the browser), on a desktop and on a phone with the menu open, and counts the pixels
that differ: the subset must change nothing.
"""

import argparse
import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.loadkit.server import free_port, log

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = [
    ("/", "Accueil", False),
    ("/trouver-un-conseiller/", "Trouver un conseiller", False),
    ("/connexion/", "Connexion", False),
    ("/coop/", "Espace Coop (conseiller)", True),
]
SEED_COMMANDS = [["migrate", "--noinput"], ["load_territories"], ["load_hubs"], ["seed_content"], ["seed_demo"]]
# Production settings, except what needs TLS: the browser talks plain HTTP to gunicorn on loopback.
SETTINGS = textwrap.dedent(
    """
    from config.settings.production import *  # noqa: F403

    STATIC_ROOT = {static_root!r}
    SECURE_PROXY_SSL_HEADER = None
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False
    """
)


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _environment(workdir: Path, port: int) -> dict:
    (workdir / "page_weight_settings.py").write_text(SETTINGS.format(static_root=str(workdir / "static")))
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(workdir), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="page_weight_settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_PROXY="0",
        DJANGO_TRUST_X_FORWARDED_FOR="0",
        DJANGO_HSTS_SECONDS="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    return env


def _prepare(env: dict, workdir: Path) -> None:
    """Seed the demo in the throw-away database and collect the static files (compressed, hashed)."""
    with open(workdir / "setup.log", "w") as logfile:
        for command in [*SEED_COMMANDS, ["collectstatic", "--noinput"]]:
            log(f"manage.py {' '.join(command)}")
            result = subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT
            )
            if result.returncode:
                raise SystemExit(f"manage.py {' '.join(command)} a échoué : voir {logfile.name}")


def _start_gunicorn(env: dict, port: int, workdir: Path) -> subprocess.Popen:
    logfile = open(workdir / "gunicorn.log", "w")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi", "--workers=2", f"--bind=127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn s'est arrêté au démarrage : voir {logfile.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion/", timeout=5):
                return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn ne répond pas après 60 s")


def _weigh(browser, base_url: str, path: str, storage_state, screenshot: Path | None) -> dict:
    """Load one page in a fresh context and add up what Chromium fetched."""
    context = browser.new_context(
        base_url=base_url, storage_state=storage_state, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire: dict[str, int] = {}
    cdp.on("Network.loadingFinished", lambda event: wire.__setitem__(event["requestId"], event["encodedDataLength"]))
    decoded = {"stylesheet": 0, "script": 0}
    bodies = []
    page.on("response", lambda response: bodies.append(response))
    response = page.goto(path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path} : {response.status if response else 'pas de réponse'}"
    for item in bodies:
        kind = item.request.resource_type
        if kind in decoded:
            decoded[kind] += len(item.body())
    html_encoding = response.headers.get("content-encoding", "aucun")
    if screenshot:
        page.screenshot(path=str(screenshot), full_page=True)
    context.close()
    return {
        "transferred": sum(wire.values()),
        "requests": len(wire),
        "css": decoded["stylesheet"],
        "js": decoded["script"],
        "html_encoding": html_encoding,
    }


def _advisor_session(browser, base_url: str):
    """Log in as the demo advisor through the login page; return the context's cookies."""
    from directory.demo import DEMO_PASSWORD, PERSONAS

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/connexion/")
    page.get_by_label("Adresse e-mail").fill(PERSONAS[5].email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    state = context.storage_state()
    context.close()
    return state


SUBSET_LINKS = re.compile(
    r'<link rel="stylesheet" href="/static/css/dsfr-allege[^"]*">\s*'
    r'<link rel="stylesheet" href="/static/css/dsfr-icones[^"]*">'
)
FULL_LINKS = (
    '<link rel="stylesheet" href="/static/dsfr/dist/dsfr/dsfr.min.css">'
    '<link rel="stylesheet" href="/static/dsfr/dist/utility/utility.min.css">'
)


def _with_full_dsfr(route) -> None:
    """Serve the page with django-dsfr's full stylesheets in place of the generated subset."""
    response = route.fetch()
    html, swapped = SUBSET_LINKS.subn(FULL_LINKS, response.text())
    assert swapped == 1, "liens de la feuille allégée introuvables"
    headers = {k: v for k, v in response.headers.items() if k not in {"content-encoding", "content-length"}}
    route.fulfill(status=response.status, headers=headers, body=html)


def _screenshot(browser, base_url: str, path: str, storage_state, *, phone: bool, full: bool) -> bytes:
    viewport = {"width": 375, "height": 740} if phone else {"width": 1280, "height": 800}
    context = browser.new_context(
        base_url=base_url, storage_state=storage_state, viewport=viewport, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    if full:
        page.route(lambda url: url.split("?")[0].endswith(path), _with_full_dsfr)
    page.goto(path, wait_until="networkidle")
    if phone:
        page.get_by_role("button", name="Menu").first.click()
        page.wait_for_timeout(500)  # the DSFR modal's opening transition
    image = page.screenshot(full_page=not phone)
    context.close()
    return image


def _differing_pixels(before: bytes, after: bytes) -> int:
    from PIL import Image, ImageChops

    first, second = (Image.open(io.BytesIO(data)).convert("RGB") for data in (before, after))
    if first.size != second.size:
        return max(first.size[0] * first.size[1], second.size[0] * second.size[1])
    difference = ImageChops.difference(first, second).convert("L").point(lambda value: 255 if value else 0)
    return difference.histogram()[255]


def _kb(value: int) -> str:
    return f"{value / 1000:.1f} ko"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="dossier où écrire une capture pleine page de chaque page")
    parser.add_argument("--compare", action="store_true", help="comparer le rendu au DSFR complet (pixels)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="page-weight-"))
    port = free_port()
    env = _environment(workdir, port)
    # The demo personas live in directory.demo, which imports models: Django is set up (no query) to read them.
    sys.path.insert(0, str(workdir))
    os.environ.update(env)
    import django

    django.setup()
    server = None
    try:
        _prepare(env, workdir)
        server = _start_gunicorn(env, port, workdir)
        base_url = f"http://127.0.0.1:{port}"
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            advisor = _advisor_session(browser, base_url)
            rows = []
            for index, (path, title, logged_in) in enumerate(PAGES):
                shot = args.screenshots / f"{index}-{path.strip('/') or 'accueil'}.png" if args.screenshots else None
                rows.append((path, title, _weigh(browser, base_url, path, advisor if logged_in else None, shot)))
            comparisons = []
            for path, title, logged_in in PAGES if args.compare else []:
                state = advisor if logged_in else None
                for phone in (False, True):
                    shots = [_screenshot(browser, base_url, path, state, phone=phone, full=full) for full in (1, 0)]
                    comparisons.append(
                        (title, "téléphone, menu ouvert" if phone else "bureau", _differing_pixels(*shots))
                    )
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)

    out("Premier visiteur (cache vide), Chromium headless, gunicorn + whitenoise (production), boucle locale")
    out()
    out("| Page | Chemin | Transféré | CSS analysé | JS (décodé) | Requêtes | HTML |")
    out("|---|---|---:|---:|---:|---:|---|")
    for path, title, weight in rows:
        out(
            f"| {title} | `{path}` | {_kb(weight['transferred'])} | {_kb(weight['css'])} | {_kb(weight['js'])} "
            f"| {weight['requests']} | {weight['html_encoding']} |"
        )
    if comparisons:
        out()
        out("| Page | Affichage | Pixels différents (DSFR complet / allégé) |")
        out("|---|---|---:|")
        for title, display, pixels in comparisons:
            out(f"| {title} | {display} | {pixels} |")


if __name__ == "__main__":
    main()
