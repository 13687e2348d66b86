"""Virtual users: one thread and one HTTP session each, logging in like a browser and recording every request."""

import io
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import requests
from pypdf import PdfWriter

from bench.loadkit.stats import Recorder

TOKEN_INPUT = re.compile(r'name="token" value="([0-9a-f-]{36})"')
RETRYABLE = {502, 503, 504, 500}
SEED = 2026
ATTACHMENT_LINK = re.compile(r'href="(/espace/pieces/(\d+)/)"')
ATTACHMENT_MESSAGE = "Message du test de charge, jeton {token}"


@cache
def small_pdf() -> bytes:
    """A one-page PDF of a few hundred bytes: the attachment checks parse it as a real one."""
    writer, buffer = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": "Pièce du test de charge"})
    writer.write(buffer)
    return buffer.getvalue()


def is_french_error_page(response) -> bool:
    """A 5xx the visitor can read: our error page (or nginx's fallback), in French."""
    return response is not None and 'lang="fr"' in response.text[:2000]


@dataclass
class Ledger:
    """Every report and decision a client submitted, and whether the server acknowledged it (thread-safe)."""

    reports: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, token: str, acknowledged: bool, **extra) -> None:
        with self.lock:
            getattr(self, kind).append({"token": token, "acknowledged": acknowledged, **extra})

    def as_dict(self) -> dict:
        with self.lock:
            return {
                "reports": list(self.reports),
                "decisions": list(self.decisions),
                "attachments": list(self.attachments),
            }


def error_label(error: Exception) -> str:
    """The exception's class and its innermost cause's (ConnectionError/RemoteDisconnected…), to explain a failure."""
    inner = error
    for _ in range(10):
        nested = next((arg for arg in getattr(inner, "args", ()) if isinstance(arg, BaseException)), None)
        nested = nested or inner.__cause__ or inner.__context__
        if nested is None or nested is inner:
            break
        inner = nested
    return type(error).__name__ if inner is error else f"{type(error).__name__}/{type(inner).__name__}"


def acknowledged(response, prefix: str) -> bool:
    """The success redirect of a form (a redirect to the login page is not an acknowledgement)."""
    if response is None or response.status_code != 302:
        return False
    return urlsplit(response.headers.get("Location", "")).path.startswith(prefix)


class VirtualUser:
    """One person using the site: a persona ("visitor", "advisor", "agent"), an account when it has one."""

    def __init__(self, base_url, recorder: Recorder, ledger: Ledger, persona, account, rng, *, behind_proxy=True):
        self.base_url, self.recorder, self.ledger = base_url, recorder, ledger
        self.persona, self.account, self.rng = persona, account or {}, rng
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "cnum-bench-load/1.0"
        scheme, host = base_url.split("://", 1)
        if behind_proxy:
            # Talk to gunicorn as the TLS-terminating nginx does in production: X-Forwarded-Proto (so POSTs carry an
            # https Origin) and one connection per request (a kept-alive connection that gunicorn closes after its
            # idle timeout just as the client reuses it would fail as a client artefact).
            self.session.headers.update({"X-Forwarded-Proto": "https", "Connection": "close"})
            scheme = "https"
        self.origin = f"{scheme}://{host}"
        self.logged_in = False
        self.work_items = list(self.account.get("work_items", []))
        self.dossiers = list(self.account.get("dossiers", []))

    # --- HTTP with timing ------------------------------------------------------------------------------------------

    def request(
        self, endpoint: str, method: str, path: str, *, ok=(200,), french_errors=False, **kwargs
    ) -> requests.Response | None:
        """Time one request under `endpoint`; anything but an expected status is an error. None on network failure.

        With french_errors, a 5xx is labelled by whether its page is the French error page (store-dependent pages).
        """
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        if method == "POST":
            kwargs.setdefault("headers", {})["Origin"] = self.origin
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base_url + path, **kwargs)
        except requests.RequestException as error:
            self.recorder.add(endpoint, time.perf_counter() - started, error_label(error))
            return None
        elapsed = time.perf_counter() - started
        for cookie in self.session.cookies:
            # Secure cookies go back over plain HTTP: on loopback we play the TLS-terminating proxy ourselves.
            cookie.secure = False
        error = None if response.status_code in ok else f"HTTP {response.status_code}"
        if error and french_errors and response.status_code >= 500:
            error += " (page en français)" if is_french_error_page(response) else " (page NON française)"
        self.recorder.add(endpoint, elapsed, error)
        return response

    def get(self, endpoint: str, path: str, **kwargs):
        return self.request(endpoint, "GET", path, **kwargs)

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def post_until_answered(self, endpoint: str, path: str, data: dict, *, attempts: int, pause: float):
        """POST the same form again (same token) after a network error or a 5xx, as a person would press again."""
        for attempt in range(attempts):
            form = {**data, "csrfmiddlewaretoken": self.csrf()}
            response = self.request(endpoint, "POST", path, data=form, ok=(302,))
            if response is not None and response.status_code not in RETRYABLE:
                return response
            time.sleep(pause * (attempt + 1))
        return None

    # --- Journeys -------------------------------------------------------------------------------------------------

    def login(self, attempts: int = 5) -> bool:
        for attempt in range(attempts):
            # Reloaded until it shows: without the form's CSRF cookie the POST would be refused.
            page = self.get("connexion (formulaire)", "/connexion/")
            if page is not None and page.status_code == 200:
                break
            time.sleep(attempt + 1)
        response = self.post_until_answered(
            "connexion (POST)",
            "/connexion/",
            {"username": self.account["email"], "password": self.account["password"]},
            attempts=5,
            pause=1.0,
        )
        self.logged_in = response is not None and response.status_code == 302
        return self.logged_in

    def relogin(self) -> None:
        """Log out and in again (the login burst of people arriving at 9 a.m., or coming back after lunch)."""
        form = {"csrfmiddlewaretoken": self.csrf()}
        self.request("déconnexion (POST)", "POST", "/deconnexion/", data=form, ok=(302,))
        self.session.cookies.clear()
        self.login()

    def post_attachment(self) -> bool:
        """A message with a small PDF on one of my dossiers, then its download compared byte for byte.

        Never re-sent: a message has no idempotency token, so a retry after a lost answer would post it twice.
        False when I have no dossier.
        """
        if not self.dossiers:
            return False
        dossier = self.rng.choice(self.dossiers)
        token = str(uuid.uuid4())
        path = f"/espace/structures/{dossier}/"
        data = {
            "party": "structure",
            "structure-body": ATTACHMENT_MESSAGE.format(token=token),
            "csrfmiddlewaretoken": self.csrf(),
        }
        files = {"structure-files": ("piece-charge.pdf", small_pdf(), "application/pdf")}
        response = self.request(
            "espace : pièce jointe (POST)",
            "POST",
            f"/espace/dossiers/structure/{dossier}/messages/",
            data=data,
            files=files,
            ok=(302,),
            french_errors=True,
        )
        done = acknowledged(response, path)
        self.ledger.record("attachments", token, done, dossier=dossier)
        if done:
            self.download_latest_attachment(path)
        return True

    def download_latest_attachment(self, dossier_path: str) -> None:
        page = self.get("espace : dossier", dossier_path)
        links = ATTACHMENT_LINK.findall(page.text) if page is not None and page.status_code == 200 else []
        if not links:
            return
        link = max(links, key=lambda found: int(found[1]))[0]
        response = self.request("espace : pièce jointe (GET)", "GET", link, french_errors=True)
        if response is not None and response.status_code == 200 and response.content != small_pdf():
            self.recorder.add("espace : pièce jointe (contenu)", 0.0, "contenu différent")

    def submit_report(self, attempts: int = 8) -> None:
        """Open the individual report form, then POST it with the form's idempotency token."""
        page = self.get("coop : formulaire CRA", "/coop/activites/nouvelle/?type=individuel")
        if page is None or page.status_code != 200:
            return
        match = TOKEN_INPUT.search(page.text)
        token = match.group(1) if match else str(uuid.uuid4())
        data = {
            "token": token,
            "date": time.strftime("%Y-%m-%d"),
            "duration": self.rng.choice(["15", "30", "45", "60", "90"]),
            "place_type": "lieu_activite",
            "place": str(self.account["place"]),
            "themes": self.rng.sample(["navigation_sur_internet", "email", "prendre_en_main_du_materiel"], 2),
            "materials": ["ordinateur"],
            "gender": "non_communique",
            "age": "non_communique",
            "status": "non_communique",
        }
        response = self.post_until_answered(
            "coop : envoi CRA (POST)", "/coop/activites/nouvelle/?type=individuel", data, attempts=attempts, pause=0.5
        )
        self.ledger.record("reports", token, acknowledged(response, "/coop/activites/"), advisor=self.account["email"])

    def decide(self, attempts: int = 8) -> bool:
        """A favourable prefecture opinion on the next of my pending structure applications (False when none left)."""
        if not self.work_items:
            return False
        work_item = self.work_items.pop(0)
        token = str(uuid.uuid4())
        data = {"opinion": "favorable", "internal_note": f"Avis du test de charge, jeton {token}"}
        response = self.post_until_answered(
            "espace : décision (POST)", f"/espace/taches/{work_item}/decision/", data, attempts=attempts, pause=0.5
        )
        self.ledger.record("decisions", token, acknowledged(response, "/espace/"), work_item=work_item)
        return True


def run_user(user: VirtualUser, actions: list, stop_at: float, think: float) -> None:
    """Loop until stop_at: pick a weighted action of my persona, do it, think a little."""
    names = [action for action in actions if action.persona == user.persona]
    weights = [action.weight for action in names]
    if user.account.get("email") and not user.login():
        return
    while time.monotonic() < stop_at:
        action = user.rng.choices(names, weights)[0]
        action.run(user)
        if think:
            time.sleep(user.rng.uniform(0.5 * think, 1.5 * think))


def start_users(
    base_url, recorder, ledger, plan, actions, duration, think, spawn_rate, *, behind_proxy, login_wave=False, seed=0
):
    """Start the virtual users of `plan` [(persona, account)] at `spawn_rate` per second; returns their threads.

    With login_wave, the users with an account all start at once (a wave of logins), the visitors then at the rate.
    """
    stop_at = time.monotonic() + duration
    threads = []
    order = sorted(range(len(plan)), key=lambda index: plan[index][1] is None) if login_wave else range(len(plan))
    for index in order:
        persona, account = plan[index]
        rng = random.Random(SEED + seed + index)
        user = VirtualUser(base_url, recorder, ledger, persona, account, rng, behind_proxy=behind_proxy)
        thread = threading.Thread(target=run_user, args=(user, actions, stop_at, think), daemon=True)
        thread.start()
        threads.append(thread)
        if spawn_rate and not (login_wave and account is not None):
            time.sleep(1 / spawn_rate)
    return threads
