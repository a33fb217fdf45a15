# The API service. Its install step is the Makefile's (`make install`), the same one
# `make demo` and `make test` run, so the image is built the tested way.
FROM python:3.11-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends make fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml Makefile README.md ./
COPY rotation ./rotation
COPY solver ./solver
COPY api ./api
COPY cli ./cli
COPY sample_data ./sample_data
RUN make install

# SQLite under /app/data by default; set DATABASE_URL for PostgreSQL, and the tokens.
ENV DATABASE_URL=sqlite:////app/data/rotation.db
VOLUME ["/app/data"]
EXPOSE 8000
CMD [".venv/bin/rotation", "serve", "--host", "0.0.0.0", "--port", "8000"]
