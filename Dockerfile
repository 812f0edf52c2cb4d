# dondoc: the bot, the scheduler and the web chat in one process.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DONDOC_WEB_HOST=0.0.0.0 \
    DONDOC_WEB_PORT=8080 \
    DONDOC_LOG_FILE=-

RUN useradd --create-home --uid 10001 dondoc
WORKDIR /app
COPY . .
RUN pip install .

USER dondoc
WORKDIR /home/dondoc
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"DONDOC_WEB_PORT\",\"8080\")}/healthz', timeout=4)"
ENTRYPOINT ["dondoc"]
CMD ["run"]
