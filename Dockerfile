# nl2sql served by gunicorn as a non-root user, with the demo warehouse built into the image.
# Two stages: the first builds the wheel, the second installs it (no source tree at run time).

FROM python:3.11-slim AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY nl2sql ./nl2sql
COPY schemas ./schemas
COPY frontend ./frontend
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 10001 nl2sql

# Dependencies first, at the exact versions of constraints.txt, from
# pyproject.toml alone: a code change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -c constraints.txt -r requirements.txt
COPY --from=wheel /wheels /wheels
RUN pip install --no-deps /wheels/*.whl && rm -rf /wheels

# Build the demo warehouse at image build time (scale 1, under 10 s), owned by the runtime user.
RUN nl2sql demo-data --path /app/data/demo.duckdb --scale 1 \
    && chown -R nl2sql:nl2sql /app/data

USER nl2sql
ENV NL2SQL_WAREHOUSE=duckdb:////app/data/demo.duckdb \
    NL2SQL_STATE_DB=/app/data/state.sqlite3
EXPOSE 8080
# Readiness, not mere liveness: a damaged state database, an unreachable warehouse
# or a model without credentials marks the container unhealthy (503 fails urlopen).
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/readyz')"
# `nl2sql serve` execs gunicorn with the same options as `make run`, so gunicorn is PID 1.
CMD ["nl2sql", "serve", "--host", "0.0.0.0", "--port", "8080"]
