"""``rotation backup`` and ``rotation restore``: the service's data, one command each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import in_lang
from cli.main import app
from cli.options import LangOpt

URL_HELP = "数据库地址，默认取环境变量 DATABASE_URL / database URL (default: $DATABASE_URL)"


@app.command("backup")
def backup_command(
    out: Annotated[Path, typer.Option("--out", help="备份文件 / backup file to write")],
    database_url: Annotated[str | None, typer.Option("--database-url", help=URL_HELP)] = None,
    lang: LangOpt = "zh",
) -> None:
    """备份服务的数据库 / back up the service's database.

    SQLite：在线一致性备份（服务运行时也可）；PostgreSQL：pg_dump 自定义格式。
    先写临时文件，校验通过后再改名，失败不留半个文件。

    SQLite: an online consistent copy; PostgreSQL: pg_dump custom format; written to a
    temporary file first and renamed once checked, so a failure leaves no partial file.
    """
    from api.backup import BackupError, backup_database, database_url_from_env

    try:
        report = backup_database(database_url or database_url_from_env(), out)
    except BackupError as exc:
        typer.echo(in_lang(lang, str(exc)), err=True)
        raise typer.Exit(1) from exc
    typer.echo(in_lang(lang, f"已备份 / backed up: {out}") + "\n" + report.describe(lang))


@app.command("restore")
def restore_command(
    source: Annotated[Path, typer.Argument(help="备份文件 / backup file")],
    database_url: Annotated[str | None, typer.Option("--database-url", help=URL_HELP)] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="目标库非空时覆盖 / overwrite a database that is not empty"),
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """从备份恢复服务的数据库（请先停止服务）/ restore the service's database (stop it first).

    只恢复到空数据库，除非加 --force；恢复后升级到当前结构版本，并列出各表行数。

    Into an empty database unless --force; then the schema is upgraded and the rows per
    table listed.
    """
    from api.backup import BackupError, database_url_from_env, restore_database

    try:
        report = restore_database(database_url or database_url_from_env(), source, force=force)
    except BackupError as exc:
        typer.echo(in_lang(lang, str(exc)), err=True)
        raise typer.Exit(1) from exc
    typer.echo(in_lang(lang, f"已恢复 / restored from: {source}") + "\n" + report.describe(lang))
