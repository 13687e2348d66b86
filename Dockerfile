# syntax=docker/dockerfile:1
# The platform's image: one image for every process of the Procfile. Default command: the web process;
# the worker, release and one-off commands are run with the same image (compose.yaml, README « Production »).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# Stage 1: wheels of every requirement, built once; nothing of this stage reaches the runtime image.
FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --disable-pip-version-check --wheel-dir /wheels -r requirements.txt

# Stage 2: the runtime.
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

# WeasyPrint (statistics PDF) needs Pango and HarfBuzz, as `make pdf-deps` installs them (Debian bookworm versions).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0=1.50.12+ds-1 \
        libpangoft2-1.0-0=1.50.12+ds-1 \
        libharfbuzz-subset0=6.0.0+dfsg-3 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels -r requirements.txt

# The code belongs to root: the process can read it, not change it.
COPY . .

# Static files are collected into the image, with whitenoise's compressed, versioned copies. The settings need a
# secret key and a host to load: throw-away values, set for this command only (no ENV, nothing kept in the image).
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

# An unprivileged user; it may write only where the embedded default keeps files (used without object storage).
RUN groupadd --system --gid 10001 cnum \
    && useradd --system --uid 10001 --gid cnum --home-dir /app --no-create-home --shell /usr/sbin/nologin cnum \
    && mkdir -p /app/media /app/private /app/var \
    && chown cnum:cnum /app/media /app/private /app/var
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "config.wsgi", "--config", "deploy/gunicorn.conf.py"]
