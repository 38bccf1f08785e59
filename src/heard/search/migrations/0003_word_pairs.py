"""PostgreSQL: a phrase with a very common word in it ("the discount", "too expensive") is
found through pairs of words the index holds as lexemes of their own.

The full-text index knows which entries hold each word, not where: for a phrase, every entry
holding all of its words is read to check that they stand side by side. When one of them is
in most entries, that is tens of thousands of reads for a few hundred matches. So the document
of an entry also holds each pair of neighbouring words of which one is among the commonest of
spoken English ("~the~discount"), and a phrase asks for its pairs besides its words: the index
then hands over the entries where they stand side by side, and only those are read. The
entries indexed before gain their pairs here. SQLite's index knows where each word stands, and
needs none of this."""

from django.db import migrations

# The commonest words of spoken English: function words and the fillers of speech. Each is
# stemmed as the English configuration stems it when the function is made.
COMMON = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself "
    "she her hers herself it its itself they them their theirs themselves what which who whom "
    "this that these those am is are was were be been being have has had having do does did "
    "doing a an the and but if or because as until while of at by for with about against "
    "between into through during before after above below to from up down in out on off over "
    "under again further then once here there when where why how all any both each few more "
    "most other some such no nor not only own same so than too very s t can will just don "
    "should now like yeah know think really get got would could well right kind mean go going "
    "thing things okay oh um uh lot also say said actually maybe one sort stuff"
)

PAIRS = f"""
DO $do$
DECLARE common text[];
BEGIN
  SELECT array_agg(DISTINCT lexeme) INTO common
  FROM unnest(to_tsvector('heard_english', '{COMMON}'));
  -- The pairs of neighbouring lexemes of a document of which one is common: "~the~discount".
  EXECUTE format($f$
    CREATE FUNCTION search_pairs(document tsvector) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
      SELECT coalesce(array_agg(DISTINCT '~' || lexeme || '~' || following), '{{}}')
      FROM (
        SELECT u.lexeme, pos, lead(u.lexeme) OVER w AS following, lead(pos) OVER w AS next
        FROM unnest(document) AS u, unnest(u.positions) AS pos
        WINDOW w AS (ORDER BY pos)
      ) words
      WHERE next = pos + 1 AND (lexeme = ANY (%L::text[]) OR following = ANY (%L::text[]))
    $body$ $f$, common, common);
END
$do$
"""

# A phrase as a tsquery: its words side by side, and its pairs (each quoted as a lexeme).
PHRASE = r"""
CREATE FUNCTION search_phrase(config regconfig, words text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(pairs) = 0 THEN phrase ELSE phrase && (
    SELECT string_agg('''' || replace(replace(pair, '\', '\\'), '''', '''''') || '''', ' & ')
    FROM unnest(pairs) AS pair
  )::tsquery END
  FROM (
    SELECT phraseto_tsquery(config, words) AS phrase,
           search_pairs(to_tsvector(config, words)) AS pairs
  ) made
$$
"""

DOCUMENT = """
CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE words tsvector;
BEGIN
  words := to_tsvector(search_config(NEW.language), NEW.text);
  -- The scope's words as lexemes of their own (":kfinding"), which no word typed in a search
  -- becomes; so are the pairs ("~the~discount").
  NEW.document := words
    || array_to_tsvector(array(SELECT ':' || word FROM unnest(string_to_array(NEW.scope, ' ')) word))
    || array_to_tsvector(search_pairs(words));
  RETURN NEW;
END $$
"""

DOCUMENT_BEFORE = """
CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.document := to_tsvector(search_config(NEW.language), NEW.text) ||
array_to_tsvector(array(SELECT ':' || word FROM unnest(string_to_array(NEW.scope, ' ')) word));
RETURN NEW; END $$
"""

# The trigger runs on a change of the text: the same text again makes every document anew.
REINDEX = "UPDATE search_entry SET text = text"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (PAIRS, PHRASE, DOCUMENT, REINDEX):
        schema_editor.execute(statement, None)  # no parameters: its % are its own


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        DOCUMENT_BEFORE,
        REINDEX,
        "DROP FUNCTION IF EXISTS search_phrase(regconfig, text)",
        "DROP FUNCTION IF EXISTS search_pairs(tsvector)",
    ):
        schema_editor.execute(statement, None)  # no parameters: its % are its own


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_entry_speaker_role"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
