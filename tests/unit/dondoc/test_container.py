"""The container files are wired as documented (no Docker engine runs here to try them)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_compose_runs_dondoc_against_postgresql_16() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    assert services["db"]["image"] == "postgres:16"
    app = services["dondoc"]
    assert app["build"] == "."
    assert app["command"] == ["run"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    url = app["environment"]["DONDOC_DATABASE_URL"]
    db_env = services["db"]["environment"]
    expected = (
        f"postgresql+psycopg://{db_env['POSTGRES_USER']}:{db_env['POSTGRES_PASSWORD']}"
        f"@db:5432/{db_env['POSTGRES_DB']}"
    )
    assert url == expected
    assert "healthcheck" in services["db"]


def test_dockerfile_runs_dondoc_as_a_non_root_user_with_a_health_check() -> None:
    lines = (ROOT / "Dockerfile").read_text("utf-8").splitlines()
    assert lines[1].startswith("FROM python:3.11-slim")
    assert any(line.startswith("USER ") and "root" not in line for line in lines)
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert 'ENTRYPOINT ["dondoc"]' in lines
    assert 'CMD ["run"]' in lines
