"""Settings shared by every environment; values come from the environment through config.env."""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, SELF

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_float,
    env_int,
    env_list,
    env_networks,
    env_str,
)
from config.objectstorage import object_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Behind a reverse proxy that sets X-Forwarded-For, the audit log and rate limits read the client address from it.
TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)
# How many proxies of ours append to X-Forwarded-For (e.g. 2 for a load balancer in front of nginx).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1, minimum=1, maximum=5)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Project apps first: their templates and management commands win.
    "territories",
    "accounts",
    "directory",
    "workflows",
    "reporting",
    "content",
    "switchover",
    "partners",
    # Shared helpers (no models); its ready() gives every DSFR form one renderer (common/form_renderer.py).
    "common",
    # State design system
    "dsfr",
    "widget_tweaks",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    # Project API (/api/)
    "ninja",
    "corsheaders",
    # Viewflow (open-source part only)
    "viewflow",
    "viewflow.workflow",
    "django_filters",
    # Infrastructure
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    # Django
    "config.admin.NationalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.staticfiles.StaticFilesConfig",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /sante/vivant/, /sante/pret/ (and /metriques/) answer here: no session, CSRF, host check or rate limit.
    "config.health.ProbeMiddleware",
    # Logs every call to /api/partenaires/ with the status finally sent: outside every middleware that may answer.
    "partners.middleware.PartnerAuditMiddleware",
    # An object store that is down answers a French 503 page, not a 500 (common/storage.py).
    "common.middleware.StoreUnavailableMiddleware",
    # CORS for the public reads of /api/ (settings below): before anything that may answer a preflight itself.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files carry their own .br/.gz) and before every middleware that reads the body.
    "common.compression.PageGZipMiddleware",
    # /api/: JSON errors, Cache-Control, ETag and 304, HEAD; inside gzip so that it hashes the uncompressed body.
    "config.api_http.ApiHttpMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Wagtail's admin needs inline scripts: allowed under /cms/ only, after the CSP middleware.
    "content.middleware.WagtailAdminCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Declared here so that Viewflow's AppConfig does not append them itself.
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Axes must come last.
    "axes.middleware.AxesMiddleware",
]

# CORS (django-cors-headers): every public read of /api/ is open to any origin, without credentials; the partner
# routes (/api/partenaires/, bearer tokens meant for servers) send no CORS headers at all.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_URLS_REGEX = r"^/api/(?!partenaires/)"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-type", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Content-Disposition"]
CORS_PREFLIGHT_MAX_AGE = 60 * 60 * 24

# Load balancers probe the health paths (config.health) over plain http.
SECURE_REDIRECT_EXEMPT = [r"^sante/(vivant|pret)/$"]
# Request metrics for Prometheus at /metriques/ (config.metrics): nothing of it is installed unless asked for.
# Each node is scraped on its own address over plain http.
PROMETHEUS_METRICS = env_bool("PROMETHEUS_METRICS", False)
METRICS_ALLOWED_IPS = env_networks("METRICS_ALLOWED_IPS", ["127.0.0.1"])
if PROMETHEUS_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    # The after-middleware only observes responses, so it may follow Axes.
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    SECURE_REDIRECT_EXEMPT.append(r"^metriques/$")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # site/templates holds the shared chrome (layout, header, footer, error pages, includes) and comes before the
        # apps' folders, so that our 400/403/404/500 and registration/* beat Viewflow's; pages and e-mails of an
        # app live in <app>/templates/<app>/ and <app>/templates/emails/<app>/.
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "content.context_processors.site_identity",
            ],
        },
    },
]

# Databases: SQLite is the embedded default, PostgreSQL the production engine.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE serialises writers, so two submissions of one workflow task cannot both run.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-64000;",
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cnum"}}

# Authentication
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailBackend",
    "accounts.backends.RolePermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
INVITATION_TIMEOUT = 60 * 60 * 24 * 14
# Argon2id first (parameters and measurements: accounts/hashers.py); older hashes verify and are upgraded to it at
# the next successful login. Django's own Argon2 hasher is left out: it shares the "argon2" name with ours.
PASSWORD_HASHERS = [
    "accounts.hashers.ProjectArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Django's list is English; this one adds French words and names (accounts/data/README.md).
    {"NAME": "accounts.password_validation.FrenchCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ProConnect (OpenID Connect), enabled only when its client id is set.
PROCONNECT_ENABLED = bool(env_str("PROCONNECT_CLIENT_ID"))
if PROCONNECT_ENABLED:
    _proconnect = env_str("PROCONNECT_DOMAIN", required=True).rstrip("/")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.ProConnectBackend")
    OIDC_RP_CLIENT_ID = env_str("PROCONNECT_CLIENT_ID", required=True)
    OIDC_RP_CLIENT_SECRET = env_str("PROCONNECT_CLIENT_SECRET", required=True)
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid email given_name usual_name"
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_proconnect}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_proconnect}/token"
    OIDC_OP_USER_ENDPOINT = f"{_proconnect}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_proconnect}/jwks"
    OIDC_OP_LOGOUT_ENDPOINT = f"{_proconnect}/session/end"
    OIDC_OP_LOGOUT_URL_METHOD = "accounts.oidc.provider_logout_url"
    OIDC_STORE_ID_TOKEN = True
    OIDC_CREATE_USER = False
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": "eidas1"}
    LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# Login lock-out (django-axes)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
# Password reset requests per hour: per account (e-mail typed) and, generously, per address.
PASSWORD_RESET_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_LIMIT_PER_HOUR", 3, minimum=1)
PASSWORD_RESET_IP_LIMIT_PER_HOUR = env_int("PASSWORD_RESET_IP_LIMIT_PER_HOUR", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our USERNAME_FIELD is "email" but the login form posts it as "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "common.client_address.client_ip"
# The lock-out counts failures against the identity the login resolves (case, spaces, Unicode form).
AXES_USERNAME_CALLABLE = "accounts.identity.axes_username"

# Internationalisation
LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGES = [("fr", "Français")]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private files (CVs) live outside MEDIA_ROOT and are served only by scoped views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
# Pilotage exports: above this many rows a list export runs as a background task; its file is kept this long.
PILOTAGE_EXPORT_SYNC_MAX_ROWS = env_int("PILOTAGE_EXPORT_SYNC_MAX_ROWS", 100_000, minimum=0)
PILOTAGE_EXPORT_TTL_HOURS = env_int("PILOTAGE_EXPORT_TTL_HOURS", 24, minimum=1)
# Followed beneficiaries with neither an update nor an accompaniment for this long are anonymised (nightly job).
BENEFICIARY_RETENTION_MONTHS = env_int("BENEFICIARY_RETENTION_MONTHS", 12, minimum=1, maximum=120)
# The calls log of the partner API (who read what, when, from where) is deleted after this long (nightly job).
PARTNER_API_CALLS_RETENTION_MONTHS = env_int("PARTNER_API_CALLS_RETENTION_MONTHS", 12, minimum=1, maximum=60)
# Manifest storage rewrites url() inside the DSFR stylesheets, so django-dsfr's SRI hashes would not match.
DSFR_USE_INTEGRITY_CHECKSUMS = False
# Object storage (config/objectstorage.py): S3_PRIVATE_BUCKET turns it on. "default" routes Wagtail documents to
# "private" (CVs, attachments, exports: scoped views only) and images and renditions to "media" (public).
OBJECT_STORAGE = object_storage()
STORAGES = {
    **OBJECT_STORAGE.storages,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Conseiller numérique <ne-pas-repondre@conseiller-numerique.gouv.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks): e-mails, exports, reminders. `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Readiness (/sante/pret/) fails when more than TASK_BACKLOG_MAX_TASKS tasks have waited this long for a worker.
TASK_BACKLOG_MAX_MINUTES = env_int("TASK_BACKLOG_MAX_MINUTES", 15, minimum=1)
TASK_BACKLOG_MAX_TASKS = env_int("TASK_BACKLOG_MAX_TASKS", 0, minimum=0)

# Content security policy (django-csp 4): no inline scripts on our pages; nonces for the DSFR loader.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https://*.tile.openstreetmap.org"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # No page may be framed (clickjacking); the Wagtail admin alone allows its own preview frame.
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        # Embedded videos of the content pages (players are built by content.blocks.video_embed).
        "frame-src": [
            SELF,
            "https://www.youtube-nocookie.com",
            "https://www.dailymotion.com",
            "https://player.vimeo.com",
        ],
    },
}
if OBJECT_STORAGE.enabled:
    # Images and renditions are served by the media bucket.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(OBJECT_STORAGE.media_origin)
# Wagtail's preview views override this with SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12

# Wagtail
WAGTAIL_SITE_NAME = "Conseiller numérique"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # French stemming and accent-insensitive matching; the configuration is created by content's migrations.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "french_unaccent"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Private pages and documents send visitors to the site's own login page.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# No avatars fetched from gravatar.com (privacy; the CSP would block them anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Programme rules
WORKFLOW_TASK_DEADLINE_DAYS = env_int("WORKFLOW_TASK_DEADLINE_DAYS", 15, minimum=1)
SMIC_MONTHLY_GROSS = env_int("SMIC_MONTHLY_GROSS", 1802, minimum=1)
# A structure is reminded once to ask for its reconventionnement this many days before its convention ends.
CONVENTION_RENEWAL_NOTICE_DAYS = env_int("CONVENTION_RENEWAL_NOTICE_DAYS", 90, minimum=1)

# Every handler scrubs passwords, tokens, signed links, Authorization headers, cookies, e-mail addresses and phone
# numbers (config.logfilters); Django's own loggers (django.request, django.server) propagate to the root handler
# instead of printing raw lines. LOG_FORMAT=json writes one JSON object per line for a log collector.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", {"plain", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_secrets": {"()": "config.logfilters.ScrubSecretsFilter"}},
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
        "json": {
            "()": "config.logfilters.ScrubbedJsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["scrub_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.logfilters.SecretsExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "config.logfilters.SecretsExceptionReporter"

# Error tracking (config.error_tracking): on when SENTRY_DSN is set, scrubbed like the logs.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    from config.error_tracking import deployed_release, sentry_options

    sentry_sdk.init(
        **sentry_options(
            dsn=SENTRY_DSN,
            environment=env_str("SENTRY_ENVIRONMENT", "production"),
            release=deployed_release(os.environ, BASE_DIR),
            traces_sample_rate=env_float("SENTRY_TRACES_SAMPLE_RATE", 0.0, minimum=0.0, maximum=1.0),
        )
    )

# The national help line for online procedures (Solidarité Numérique), offered by the advisor finder when no place is
# near: a phone number, written as the public reads it.
HELP_LINE_PHONE = env_str("HELP_LINE_PHONE", "01 70 772 372")

# Geocoding of activity places (directory/geocoding.py): a search endpoint answering like the national address API
# (Base Adresse Nationale). Empty: places get their commune's centre, with that precision stated.
GEOCODER_URL = env_str("GEOCODER_URL", "")
GEOCODER_TIMEOUT_SECONDS = env_float("GEOCODER_TIMEOUT_SECONDS", 2.0, minimum=0.1, maximum=30.0)
GEOCODER_MIN_SCORE = env_float("GEOCODER_MIN_SCORE", 0.6, minimum=0.0, maximum=1.0)
# The national API allows 50 requests per second and address; the batch command stays under it.
GEOCODER_RATE_PER_SECOND = env_int("GEOCODER_RATE_PER_SECOND", 40, minimum=1, maximum=50)

# Demo data: each app's seeder, run in this order by `manage.py seed_demo`.
DEMO_SEEDERS = [
    "directory.demo.seed",
    "workflows.demo.seed",
    # The programme's life after recruitment (issue 13): each seeder shows its parcours at several steps.
    "workflows.demo_post_requests.seed",
    "workflows.demo_renewals.seed",
    "workflows.demo_contract_changes.seed",
    "workflows.demo_coordinators.seed",
    "workflows.demo_transfers.seed",
    # Instruction at volume (issue 14): a selection committee for the hub, a correction request.
    "workflows.demo_instruction.seed",
    "reporting.demo.seed",
    # Espace Coop v2 (issue 15): followed people, tags, coordinators' activities, a share link.
    "reporting.demo_benef.seed",
    "reporting.demo_tags.seed",
    "reporting.demo_coord.seed",
    "reporting.demo_share.seed",
    "content.demo.seed",
]

# Recruitment parcours (workflows)
WORKFLOW_REMINDER_DAYS_BEFORE = env_int("WORKFLOW_REMINDER_DAYS_BEFORE", 3, minimum=1)
APPLICATION_CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 7
CANDIDATE_LINK_MAX_AGE = 60 * 60 * 24 * 365
# Accepted applications per hour and applicant identity (e-mail, SIRET); refused submissions are not counted.
APPLICATION_RATE_LIMIT_PER_HOUR = env_int("APPLICATION_RATE_LIMIT_PER_HOUR", 5, minimum=1)
# Per address, generous: agencies, libraries and town halls share one connection.
APPLICATION_IP_LIMIT_PER_HOUR = env_int("APPLICATION_IP_LIMIT_PER_HOUR", 60, minimum=1)
CV_MAX_BYTES = 10 * 1024 * 1024
