# Production image of the Vrijetijdsnet web app and worker (see docker-compose.yml).
# The front-end packages (Leaflet) come from npm in a build stage, as `make vendor` copies them.
FROM node:20-bookworm-slim AS vendor
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --silent \
    && mkdir -p static/vendor/leaflet \
    && cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=portal.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpq5 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home vrijetijdsnet
WORKDIR /app
COPY requirements.txt constraints.txt ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
COPY --from=vendor /build/static/vendor static/vendor
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost PUBLIC_BASE_URL=https://localhost \
    WORKSPACE_CONTACT_KEYS=build-only REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput
USER vrijetijdsnet
EXPOSE 8000
# Workers, timeout and garbage collection from gunicorn.conf.py (GUNICORN_WORKERS, GUNICORN_TIMEOUT, ...).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]
