"""search: œ, æ, ø, ł, đ, ð, þ and ß spelt apart in SQLite's full-text index

Revision ID: 0020_fold_letters
Revises: 0012_idea_cards

SQLite's ``unicode61 remove_diacritics 2`` tokenizer removes the accents of letters that are a
letter plus an accent ("é", "ñ", "ó") but leaves letters of their own as they are, so "oeuvre"
did not find "œuvre" nor "Lodz" "Łódź". Revision 0008's triggers now write each searched column
to ``idea_fts`` with those letters spelt apart (``replace``, SQLite's own: any SQLite program can
still write to ``idea``), as domain/text_fold.py's ``LETTERS_APART`` spells them for every other
comparison, and the index is filled again from every idea so existing ideas are found too.
Only ``idea_fts`` is rewritten (it holds copies); no idea, nor any other row, is changed.

PostgreSQL is unchanged: its ``meetingtui_fold`` uses the ``unaccent`` extension, whose rules
already spell these letters apart ("Œuvre Łódź Straße" is "oeuvre lodz strasse").
"""

from alembic import op

revision = "0020_fold_letters"
down_revision = "0012_idea_cards"
branch_labels = None
depends_on = None

SEARCHED = ("title", "detail", "affects", "tags")  # as revision 0008

# domain/text_fold.py LETTERS_APART and CAPITALS_APART as of this revision (a test compares
# them: a change to that table needs a revision that fills the index again).
LETTERS_APART = {
    "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ß": "ss",
    "Œ": "oe", "Æ": "ae", "Ø": "o", "Ł": "l", "Đ": "d", "Ð": "d", "Þ": "th", "ẞ": "ss",
}  # fmt: skip


def spelt_apart(expression: str) -> str:
    for letter, spelt in LETTERS_APART.items():
        expression = f"replace({expression}, '{letter}', '{spelt}')"
    return expression


def _search_triggers(value) -> None:  # noqa: ANN001 - a function of a column name
    """Revision 0008's three triggers, each column written to ``idea_fts`` as ``value`` says,
    and the index filled again from every idea."""
    for trigger in ("idea_fts_insert", "idea_fts_delete", "idea_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    columns = ", ".join(SEARCHED)
    new = ", ".join(value(f"new.{c}") for c in SEARCHED)
    # The shape domain/imports.py reads back to fill the index in bulk: one INSERT … VALUES.
    insert = f"INSERT INTO idea_fts (rowid, idea_id, {columns}) VALUES (new.rowid, new.id, {new});"
    delete = "DELETE FROM idea_fts WHERE rowid = old.rowid AND idea_id = old.id;"
    op.execute(f"CREATE TRIGGER idea_fts_insert AFTER INSERT ON idea BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER idea_fts_delete AFTER DELETE ON idea BEGIN {delete} END")
    op.execute(
        f"CREATE TRIGGER idea_fts_update AFTER UPDATE OF {columns} ON idea "
        f"BEGIN {delete} {insert} END"
    )
    op.execute("DELETE FROM idea_fts")
    every = ", ".join(value(c) for c in SEARCHED)
    op.execute(
        f"INSERT INTO idea_fts (rowid, idea_id, {columns}) SELECT rowid, id, {every} FROM idea"
    )
    op.execute("INSERT INTO idea_fts (idea_fts) VALUES ('optimize')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _search_triggers(spelt_apart)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _search_triggers(lambda column: column)
