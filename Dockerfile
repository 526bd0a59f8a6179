# The bot for production: `docker build -t bydelsbot .` then
#   docker run -e BOT_TOKEN=... -v bydelsbot-data:/data bydelsbot
# Same install as the README (pip install .), plus compiled catalogues.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BYDELSBOT_DB=/data/bydelsbot.sqlite3

# FriBiDi and HarfBuzz: Pillow shapes the names on ID cards and diplomas with them (raqm), so
# Arabic joins and runs right to left and Gurmukhi vowel signs sit in place.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfribidi0 libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales

# Install as root, compile the catalogues into the installed package, then drop privileges.
RUN pip install . \
    && bydelsbot compile-catalogues \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin bydelsbot \
    && mkdir -p /data \
    && chown bydelsbot /data

USER bydelsbot
VOLUME ["/data"]
CMD ["bydelsbot", "run"]
