# Production image: the web (gunicorn), worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.django.production

WORKDIR /app
RUN pip install --no-cache-dir "uv==0.9.5" && useradd --create-home --uid 1000 hongfan
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic only reads files; the placeholders keep the settings from reaching for a database.
RUN DJANGO_SECRET_KEY=build-only HONGFAN_ID_KEY=build-only DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@127.0.0.1/build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R hongfan /app/var
USER hongfan
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
