# Sajad portal image: one image for web (gunicorn), worker and beat; docker-compose.yml picks the
# command. Third-party front-end assets come from npm in a build stage (no CDN, nothing vendored).

FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
# Purged Bootstrap, the Persian-only font, our CSS/JS minified (var/build/static/; see the script).
COPY . .
RUN node scripts/build-assets.mjs

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sajad.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --from=assets /build/node_modules ./node_modules
COPY . .
COPY --from=assets /build/var/build ./var/build
# Build-time only: these commands read settings but never touch the database or Redis.
RUN DJANGO_SECRET_KEY=build-only-not-secret-$(date +%s)-collectstatic-and-compilemessages \
    SITE_URL=https://build.invalid python manage.py compilemessages --ignore=node_modules -v 0 \
 && DJANGO_SECRET_KEY=build-only-not-secret-$(date +%s)-collectstatic-and-compilemessages \
    SITE_URL=https://build.invalid python manage.py collectstatic --noinput -v 0 \
      --ignore '*.scss' --ignore '*.less' --ignore '*.md' --ignore 'LICENSE*' \
 && useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin sajad \
 && mkdir -p /app/var/private /app/var/media \
 && chown -R sajad:sajad /app/var
USER sajad
EXPOSE 8000
CMD ["gunicorn", "sajad.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
