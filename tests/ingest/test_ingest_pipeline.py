"""The ingest command end to end: files written, idempotence, --force, registry, JSON."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.body import strip_mentions
from sitegen.ingest import pipeline

DEVSET = Path(__file__).resolve().parents[1] / "ingest_corpus" / "tune" / "moscow-times"
SAMPLE = """ date 2022-01-27 Talks between Russia and the West failed, with the U.S. warning.

Jan. 27: What you need to know today

Russian Foreign Minister Sergei Lavrov said "there was no positive response to the main question” \
of Russia's demands. Lavrov said he will speak with Blinken in the “coming days.”

Putin accepted Turkish President Recep Tayyip Erdogan’s invitation to visit Turkey.

AFP contributed reporting."""


def snapshot(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_writes_briefing_and_stubs(ingest, raw: Callable, site: Path) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    result = ingest(path)
    assert result.code == 0, result.err
    briefing = site / "content/briefings/2022-01-27-what-you-need-to-know-today.md"
    text = briefing.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 'Jan. 27: What you need to know today'\ndate: 2022-01-27\n")
    assert "Russian Foreign Minister [[Sergei Lavrov]] said" in text
    assert "[[Sergei Lavrov|Lavrov]] said he will speak with [[Blinken]]" in text
    assert "credits:\n- AFP contributed reporting.\n" in text
    assert "AFP contributed" not in text.split("---\n", 2)[2]  # credits are not body text
    lavrov = (site / "content/actors/sergei-lavrov.md").read_text(encoding="utf-8")
    assert lavrov == (
        "---\nname: Sergei Lavrov\nkind: person\nrole: Russian Foreign Minister\n"
        "aliases:\n- Lavrov\nreview: true\n---\n"
        "Stub created by sitegen ingest from 2022-01-27.txt; please review.\n"
    )
    assert (
        f"wrote content/briefings/2022-01-27-what-you-need-to-know-today.md from {path}"
        in result.out
    )


def test_body_keeps_the_words(ingest, raw: Callable, site: Path) -> None:
    ingest(raw("2022-01-27.txt", SAMPLE))
    body = next((site / "content/briefings").glob("*.md")).read_text(encoding="utf-8")
    paragraphs = strip_mentions(body.split("---\n", 2)[2]).strip().split("\n\n")
    assert paragraphs[2].startswith('Russian Foreign Minister Sergei Lavrov said "there was')
    assert paragraphs[3] == (
        "Putin accepted Turkish President Recep Tayyip Erdogan’s invitation to visit Turkey."
    )


@pytest.mark.parametrize("use_cache", [True, False], ids=["cached", "uncached"])
def test_second_run_changes_nothing(ingest, site: Path, use_cache: bool) -> None:
    assert ingest(DEVSET, use_cache=use_cache).code == 0
    before = snapshot(site)
    again = ingest(DEVSET, use_cache=use_cache)
    assert again.code == 0
    assert snapshot(site) == before
    assert "0 new actor stubs" in again.out
    assert again.out.count("unchanged ") == len(list(DEVSET.glob("*.txt")))


def test_output_does_not_depend_on_input_order(ingest, site: Path, tmp_path: Path) -> None:
    files = sorted(DEVSET.glob("*.txt"))
    ingest(*files)
    forward = snapshot(site)
    for path in site.rglob("*.md"):
        path.unlink()
    ingest(*reversed(files))
    assert snapshot(site) == forward


def test_edited_briefing_needs_force_and_is_backed_up(ingest, raw: Callable, site: Path) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    ingest(path)
    briefing = next((site / "content/briefings").glob("*.md"))
    edited = briefing.read_text(encoding="utf-8").replace(
        "[[Blinken]]", "[[Antony Blinken|Blinken]]"
    )
    briefing.write_text(edited, encoding="utf-8")
    refused = ingest(path)
    assert refused.code == 1
    assert "exists and differs (edited by hand?); not overwritten: use --force" in refused.err
    assert briefing.read_text(encoding="utf-8") == edited
    forced = ingest(path, force=True)
    assert forced.code == 0
    [backup] = (site / ".sitegen-backups/content/briefings").glob(f"{briefing.name}.bak-*")
    assert backup.read_text(encoding="utf-8") == edited
    assert "[[Blinken]]" in briefing.read_text(encoding="utf-8")
    assert "(backup: .sitegen-backups/content/briefings/" in forced.out


@pytest.mark.parametrize("blocker", [".sitegen-backups", ".sitegen-backups/content/briefings"])
def test_a_backup_that_cannot_be_kept_names_what_is_in_its_way(
    ingest, raw: Callable, site: Path, blocker: str
) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    ingest(path)
    briefing = next((site / "content/briefings").glob("*.md"))
    edited = briefing.read_text(encoding="utf-8") + "An editor's line.\n"
    briefing.write_text(edited, encoding="utf-8")
    (site / blocker).parent.mkdir(parents=True, exist_ok=True)
    (site / blocker).write_text("a file of the editor's\n", encoding="utf-8")
    forced = ingest(path, force=True)
    assert forced.code == 1
    assert forced.err.splitlines() == [
        f"{path}: content/briefings/{briefing.name}: not replaced: its backup cannot be kept "
        f"({blocker} is not a folder)"
    ]
    assert briefing.read_text(encoding="utf-8") == edited


def test_a_briefing_ingest_wrote_and_nobody_edited_is_made_again_without_force(
    ingest, raw: Callable, site: Path
) -> None:
    """The raw text was corrected, or the registry: the briefing is ingest's own output,
    unedited (the cache keeps the digest of what it wrote), so it is replaced, no backup."""
    path = raw("2022-01-27.txt", SAMPLE)
    assert ingest(path).code == 0
    briefing = next((site / "content/briefings").glob("*.md"))
    path.write_text(SAMPLE.replace("AFP contributed", "Blinken said talks go on.\n\nAFP"))
    again = ingest(path)
    assert again.code == 0, again.err
    assert again.out.startswith(f"replaced content/briefings/{briefing.name} from ")
    assert "[[Blinken]] said talks go on" in briefing.read_text(encoding="utf-8")
    assert not (site / ".sitegen-backups").exists()


@pytest.mark.parametrize("record", ["edited", "no cache", "damaged cache"])
def test_a_briefing_not_known_as_ingests_own_is_never_replaced_without_force(
    ingest, raw: Callable, site: Path, record: str
) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    assert ingest(path).code == 0
    briefing = next((site / "content/briefings").glob("*.md"))
    if record == "edited":
        briefing.write_text(briefing.read_text(encoding="utf-8") + "\nAn editor's line.\n")
    elif record == "damaged cache":
        cache = site / ".sitegen-cache" / "ingest.marshal"
        cache.write_bytes(cache.read_bytes()[:-3] + b"xyz")
    before = briefing.read_bytes()
    path.write_text(SAMPLE.replace("AFP contributed", "Blinken said talks go on.\n\nAFP"))
    refused = ingest(path, use_cache=record != "no cache")
    assert refused.code == 1
    assert "exists and differs (edited by hand?); not overwritten" in refused.err
    assert briefing.read_bytes() == before


def test_existing_actor_files_are_never_overwritten(ingest, raw: Callable, site: Path) -> None:
    actors = site / "content/actors"
    actors.mkdir(parents=True)
    lavrov = "---\nname: Sergei Lavrov\nkind: person\n---\nHand-written profile.\n"
    (actors / "sergei-lavrov.md").write_text(lavrov, encoding="utf-8")
    blinken = "---\nname: Antony Blinken\nkind: person\n---\nU.S. Secretary of State.\n"
    (actors / "antony-blinken.md").write_text(blinken, encoding="utf-8")
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert (actors / "sergei-lavrov.md").read_text(encoding="utf-8") == lavrov
    assert "note: content/actors/sergei-lavrov.md: seen as 'Lavrov'" in result.err
    assert "note: content/actors/antony-blinken.md: seen as 'Blinken'" in result.err
    body = next((site / "content/briefings").glob("*.md")).read_text(encoding="utf-8")
    assert "[[Antony Blinken|Blinken]]" in body
    assert not (actors / "blinken.md").exists()


def test_registry_aliases_and_possessives(ingest, raw: Callable, site: Path) -> None:
    actors = site / "content/actors"
    actors.mkdir(parents=True)
    (actors / "zelenskiy.md").write_text(
        "---\nname: Volodymyr Zelenskiy\nkind: person\naliases: [Zelenskiy]\n---\n",
        encoding="utf-8",
    )
    text = "date 2022-03-01 Zelenskiy said talks would go on.\n\nKEY POINTS\n\nItem.\n"
    [entry] = ingest(raw("2022-03-01.txt", text), dry_run=True, fmt="json").json()
    assert entry["actors"] == [{"name": "Volodymyr Zelenskiy", "kind": "person", "role": None}]


ORNSKIY = (
    "date 2022-03-01 Valdorian envoy Pavel Ornskiy said talks would resume.\n\n"
    "KEY POINTS\n\nThe Ostrian delegation left Selm.\n"
)
ORNSKY = (
    "date 2022-03-02 Valdorian envoy Pavel Ornsky warned that the talks had stalled.\n\n"
    "KEY POINTS\n\nThe Ostrian delegation left Selm.\n"
)


def test_spelling_variants_across_inputs(ingest, raw: Callable, site: Path) -> None:
    """Each briefing names whom it names (the report is the same alone or with others); what
    is written links a variant to the stub of the same actor, which lists it as an alias."""
    first, second = raw("2022-03-01-a.txt", ORNSKIY), raw("2022-03-02-b.txt", ORNSKY)
    [alone] = ingest(second, dry_run=True, fmt="json").json()
    result = ingest(first, second, fmt="json")
    assert result.code == 0, result.err
    together = result.json()
    assert [e["actors"][0]["name"] for e in together] == ["Pavel Ornskiy", "Pavel Ornsky"]
    assert together[1]["actors"] == alone["actors"]
    stubs = sorted(p.name for p in (site / "content/actors").glob("*.md"))
    assert stubs == ["pavel-ornskiy.md"]
    stub = (site / "content/actors/pavel-ornskiy.md").read_text(encoding="utf-8")
    assert "- Pavel Ornsky\n" in stub
    body = (site / "content/briefings/2022-03-02-key-points.md").read_text(encoding="utf-8")
    assert "actors:\n- Pavel Ornskiy\n" in body
    assert "Valdorian envoy [[Pavel Ornskiy|Pavel Ornsky]] warned" in body
    assert f"'Pavel Ornsky' in {second} is written as this new actor" in result.err
    again = ingest(first, second, use_cache=False)
    assert "unchanged" in again.out and "exists and differs" not in again.err


def test_a_stub_is_not_named_in_capitals_when_another_input_writes_it_plainly() -> None:
    """'VALDORIA' in one input's slug, 'Valdoria' in another's text: one stub, 'Valdoria'."""
    from sitegen.ingest.actors import Analysis
    from sitegen.ingest.pipeline import Outcome, _merge_new
    from sitegen.ingest.registry import Actor

    def outcome(label: str, name: str) -> Outcome:
        actor = Actor(name, "country")
        return Outcome(label, found=Analysis([actor], [], [], [actor]))

    [stub] = _merge_new([outcome("a.txt", "VALDORIA"), outcome("b.txt", "Valdoria")], [])
    assert (stub.name, stub.aliases) == ("Valdoria", ["VALDORIA"])


def test_dry_run_json_writes_nothing(ingest, raw: Callable, site: Path) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    [entry] = ingest(path, dry_run=True, fmt="json").json()
    assert [p.name for p in site.iterdir()] == ["site.toml"]  # nothing written
    assert list(entry) == [
        "source",
        "date",
        "headline",
        "output",
        "actors",
        "quotes",
        "credits",
        "warnings",
        "error",
    ]
    assert entry["source"] == str(path)
    assert entry["date"] == "2022-01-27"
    assert entry["headline"] == "Jan. 27: What you need to know today"
    assert entry["output"] == "content/briefings/2022-01-27-what-you-need-to-know-today.md"
    assert {"name": "Sergei Lavrov", "kind": "person", "role": "Russian Foreign Minister"} in entry[
        "actors"
    ]
    assert {"actor": "Sergei Lavrov", "text": "coming days."} in entry["quotes"]
    assert entry["credits"] == ["AFP contributed reporting."]
    assert entry["error"] is None


def test_dry_run_text_says_what_it_would_do(ingest, raw: Callable, site: Path) -> None:
    result = ingest(raw("2022-01-27.txt", SAMPLE), dry_run=True)
    assert "would write content/briefings/2022-01-27-what-you-need-to-know-today.md" in result.out
    assert "would create content/actors/sergei-lavrov.md (review: true)" in result.out
    # its summary said "1 of 1 inputs ingested", as if it had written them
    assert result.out.splitlines()[-1].startswith("1 of 1 inputs would be ingested, ")
    assert result.out.rstrip().endswith("0 failed (dry run: nothing written)")
    assert [p.name for p in site.iterdir()] == ["site.toml"]  # nothing written


def test_standard_input(ingest, site: Path) -> None:
    result = ingest("-", stdin=SAMPLE, fmt="json")
    [entry] = result.json()
    assert entry["source"] == "-" and entry["date"] == "2022-01-27"
    text = next((site / "content/briefings").glob("*.md")).read_text(encoding="utf-8")
    assert "\nsource: '-'\n" in text
    stub = (site / "content/actors/sergei-lavrov.md").read_text(encoding="utf-8")
    assert stub.endswith("Stub created by sitegen ingest from standard input; please review.\n")


def test_warnings_mark_the_briefing_for_review(ingest, raw: Callable, site: Path) -> None:
    result = ingest(
        raw("2022-06-24.txt", "Putin said talks failed.\n\nMoscow said it would wait.\n")
    )
    assert result.code == 0
    assert "2022-06-24.txt:3: warning: no heading found" in result.err  # path:line, one line
    text = (site / "content/briefings/2022-06-24-briefing.md").read_text(encoding="utf-8")
    assert "title: 'June 24: What you need to know'" in text
    assert text.split("---\n")[1].endswith("review: true\n")


def test_raw_markup_and_html_stay_text(ingest, raw: Callable, site: Path) -> None:
    text = (
        "date 2022-01-27 Lead <script>alert(1)</script> and [[Fake]] and [a](javascript:x).\n\n"
        "KEY POINTS\n\n#1 priority, {{ 7*7 }} and *not emphasis*.\n"
    )
    ingest(raw("2022-01-27.txt", text))
    body = (site / "content/briefings/2022-01-27-key-points.md").read_text(encoding="utf-8")
    body = body.split("---\n", 2)[2]
    assert "&lt;script>alert(1)&lt;/script>" in body
    assert "\\[\\[Fake\\]\\]" in body and "\\[a\\](javascript:x)" in body
    assert "\n\\#1 priority, {{ 7\\*7 }} and \\*not emphasis\\*." in body


def test_registry_is_read_by_the_build_code(ingest, raw: Callable, site: Path) -> None:
    actors = site / "content/actors"
    actors.mkdir(parents=True)
    (actors / "lavrov.md").write_text(
        "---\nname: Sergei Lavrov\nkind: person\nslug: lavrov\naliases: [Lavrov]\n---\n",
        encoding="utf-8",
    )
    (actors / "anchored.md").write_text(
        "---\nname: &n Antony Blinken\nkind: person\naliases: [*n]\n---\n", encoding="utf-8"
    )
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert result.code == 0, result.err
    assert (
        "note: content/actors/anchored.md:2: YAML anchor '&n' is not allowed "
        "(this actor's names are not matched)" in result.err
    )
    assert not (actors / "sergei-lavrov.md").exists()  # the registry's slug: names the actor
    body = next((site / "content/briefings").glob("*.md")).read_text(encoding="utf-8")
    assert "[[Sergei Lavrov|Russian Foreign Minister Sergei Lavrov]]" in body or (
        "Russian Foreign Minister [[Sergei Lavrov]]" in body
    )


def test_two_actor_files_on_one_slug_are_reported_as_build_reports_them(
    ingest, raw: Callable, site: Path
) -> None:
    from conftest import run_build

    actors = site / "content/actors"
    actors.mkdir(parents=True)
    (actors / "lavrov.md").write_text(
        "---\nname: Sergei Lavrov\nkind: person\nslug: lavrov\n---\n", encoding="utf-8"
    )
    (actors / "sergei-lavrov.md").write_text(
        "---\nkind: person\nname: Lavrov\nrole: Foreign minister\n---\n", encoding="utf-8"
    )
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert result.code == 0, result.err  # the registry is the editor's: ingest goes on
    clash = (
        "content/actors/sergei-lavrov.md:3: 2 pages would write /actors/lavrov/: "
        "content/actors/sergei-lavrov.md:3, content/actors/lavrov.md:4"
    )
    assert f"note: {clash}\n" in result.err
    assert not (actors / "sergei-lavrov-2.md").exists()  # no third actor of that name
    code, _, err = run_build(site)
    assert code == 1
    assert clash in err.splitlines()  # the same line, which stops the build


def test_no_stub_is_written_on_the_url_another_actors_slug_takes(
    ingest, raw: Callable, site: Path
) -> None:
    """A stub named 'Sergei Lavrov' (sergei-lavrov.md) beside an actor file of another name
    with `slug: sergei-lavrov` made a site the build refuses (2 pages would write one URL)."""
    from conftest import run_build

    actors = site / "content/actors"
    actors.mkdir(parents=True)
    (actors / "minister.md").write_text(
        "---\nname: The Minister\nkind: person\nslug: sergei-lavrov\n---\n", encoding="utf-8"
    )
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert result.code == 0, result.err
    assert (
        "note: content/actors/minister.md: its slug 'sergei-lavrov' is the URL a stub for "
        "'Sergei Lavrov' would take (another name?); no stub written: add the name to its "
        "aliases if it is that actor\n"
    ) in result.err
    assert not (actors / "sergei-lavrov.md").exists()
    code, _, err = run_build(site)
    assert "2 pages would write" not in err and code == 0, err


def test_stub_slugs_are_the_builds(tmp_path: Path) -> None:
    from sitegen.ingest.pipeline import Options, _write_stubs
    from sitegen.ingest.registry import Actor
    from sitegen.urls import slugify

    name = "Grand Committee for the Supervision of " + "Northern and Southern " * 5 + "Ports"
    created, _, _ = _write_stubs([Actor(name, "organization")], [], Options(tmp_path, False, False))
    assert [actor.name for actor in created] == [name]
    assert [p.name for p in (tmp_path / "content/actors").iterdir()] == [f"{slugify(name)}.md"]
    assert len(slugify(name)) <= 80 < len(name)


def _no_model() -> None:
    raise AssertionError("the model was loaded")


def test_unchanged_inputs_come_from_the_cache(ingest, site: Path, monkeypatch) -> None:
    assert ingest(DEVSET).code == 0  # writes the briefings, the stubs and the cache
    fresh = ingest(DEVSET, fmt="json", use_cache=False)  # parsed again, with the stubs
    monkeypatch.setattr(pipeline, "load_pipeline", _no_model)
    again = ingest(DEVSET, fmt="json")
    assert again.code == 0, again.err
    assert again.json() == fresh.json()  # nothing parsed, the same answer


def _flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x04]) + data[middle + 1 :]


DAMAGE = {
    "a flipped byte": _flip_a_byte,  # (an entry read as a wrong analysis, before the checksum)
    "cut short": lambda data: data[: len(data) // 2],
    "emptied": lambda data: b"",
    "another shape": lambda data: marshal.dumps({"version": 9, "entries": {}}),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_cache_is_named_and_never_restored_from(
    ingest, raw: Callable, site: Path, damage: str
) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    first = ingest(path, fmt="json")
    cache = site / ".sitegen-cache" / "ingest.marshal"
    cache.write_bytes(DAMAGE[damage](cache.read_bytes()))
    again = ingest(path, fmt="json")
    assert again.code == 0, again.err
    assert again.json() == first.json()  # analysed again, the same answer
    warning = (
        ".sitegen-cache/ingest.marshal: warning: damaged (its checksum does not match): "
        "every input is analysed again"
    )
    assert warning in again.err.splitlines()
    assert "warning" not in ingest(path).err  # written afresh: whole again


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_cache_that_is_not_a_file_is_not_read_nor_a_traceback(
    ingest, raw: Callable, site: Path, kind: str
) -> None:
    cache = site / ".sitegen-cache" / "ingest.marshal"
    cache.parent.mkdir(parents=True)
    cache.mkdir() if kind == "folder" else os.mkfifo(cache)  # (a FIFO was waited on)
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert result.code == 0, result.err
    assert ".sitegen-cache/ingest.marshal: warning: cannot read it (" in result.err
    assert (site / "content" / "briefings").is_dir()


def test_a_named_pipe_in_the_registry_is_named_not_waited_on(
    ingest, raw: Callable, site: Path
) -> None:
    (site / "content" / "actors").mkdir(parents=True)
    os.mkfifo(site / "content" / "actors" / "x.md")
    result = ingest(raw("2022-01-27.txt", SAMPLE))  # (hung before, hashing the registry)
    assert result.code == 0, result.err
    assert "a named pipe (FIFO), not a regular file" in result.err


def test_a_registry_edit_makes_ingest_parse_again(
    ingest, raw: Callable, site: Path, monkeypatch
) -> None:
    path = raw("2022-01-27.txt", SAMPLE)
    ingest(path)
    stub = site / "content/actors/sergei-lavrov.md"
    stub.write_text(stub.read_text(encoding="utf-8").replace("- Lavrov\n", "- Lavrov\n- SL\n"))
    calls = []
    real = pipeline.load_pipeline

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(pipeline, "load_pipeline", counted)
    assert ingest(path).code == 0
    assert calls == [1]


def test_a_long_paragraph_is_read_in_pieces_and_linked_in_place(
    ingest, raw: Callable, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paragraph over nlp.LONGEST_PIECE characters (a caption transcript, a pasted page)
    is parsed piece by piece; its links land at the right places of the whole paragraph."""
    from sitegen.ingest import nlp

    monkeypatch.setattr(nlp, "LONGEST_PIECE", 120)
    sentences = [
        "Prime Minister Arvo Lind of Valdoria said on Monday that the budget would pass.",
        "Finance Minister Maja Tran told reporters that taxes would not rise this year.",
        "Opposition leader Ilse Karro said the plan was a mistake for every family.",
    ]
    paragraph = " ".join(sentences * 3)
    assert len(nlp.pieces(paragraph)) > 3
    ingest(raw("2022-01-27.txt", f"date 2022-01-27 {paragraph}\n"))
    body = next((site / "content/briefings").glob("*.md")).read_text(encoding="utf-8")
    text = body.split("---\n", 2)[2]
    assert strip_mentions(text).strip() == paragraph
    assert text.count("[[Maja Tran") == 3  # linked in every piece it falls in
    assert text.count("[[Ilse Karro") == 3


def test_pieces_join_back_and_end_at_sentences() -> None:
    from sitegen.ingest.nlp import pieces

    text = "Lind spoke. " * 50 + "x" * 300 + " tail"
    parts = pieces(text, 100)
    assert "".join(parts) == text
    assert all(len(part) <= 100 for part in parts)
    assert parts[0].endswith("spoke. ")
    assert pieces("short", 100) == ["short"]


def test_a_retitled_input_names_the_file_it_wrote_before_and_keeps_it(
    ingest, raw, site: Path
) -> None:
    path = raw("2019-05-21.txt", MORNING)
    assert ingest(path).code == 0
    old = site / "content" / "briefings" / "2019-05-21-morning-notes.md"
    assert old.is_file()
    path.write_text("Evening Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- An item.", "utf-8")
    result = ingest(path)
    assert result.code == 0
    assert old.is_file()  # an editor may have worked on it: never removed
    assert (site / "content" / "briefings" / "2019-05-21-evening-notes.md").is_file()
    assert (
        f"{path}: warning: content/briefings/2019-05-21-morning-notes.md was written from this "
        "input under another title: remove it if content/briefings/2019-05-21-evening-notes.md "
        "replaces it"
    ) in result.err.splitlines()


MORNING = "Morning Notes\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- An item."
EVENING = "Evening Notes\n\nMira Tran spoke.\n\nKEY POINTS\n\n- An item."


def test_a_second_briefing_of_one_day_is_written_with_a_warning_that_says_the_ways_out(
    ingest, raw, site: Path
) -> None:
    first = raw("ostria-2019-05-21.txt", MORNING)
    second = raw("valdoria-2019-05-21.txt", EVENING)
    assert "already has a briefing" not in ingest(first).err
    result = ingest(second)
    assert result.code == 0  # written: the editor decides between merging and {slug}
    assert (site / "content" / "briefings" / "2019-05-21-evening-notes.md").is_file()
    assert (
        f"{second}: warning: 2019-05-21 already has a briefing "
        "(content/briefings/2019-05-21-morning-notes.md); the permalink /{year}/{month}/{day}/ "
        "makes one page per day, so `sitegen build` will refuse both: merge them into one "
        "file, or add {slug} to [permalinks] briefing in site.toml"
    ) in result.err.splitlines()
    assert "already has" not in ingest(first, second).err  # nothing new written: said once


def test_briefings_of_one_day_in_one_run_name_each_other(ingest, raw) -> None:
    first = raw("a-2019-05-21.txt", MORNING)
    second = raw("b-2019-05-21.txt", EVENING)
    err = ingest(first, second, dry_run=True).err
    assert f"{first}: warning: 2019-05-21 already has a briefing (content/briefings/" in err
    assert f"{second}: warning: 2019-05-21 already has a briefing (content/briefings/" in err


def test_a_permalink_with_slug_takes_several_briefings_a_day_without_a_warning(
    ingest, raw, site: Path
) -> None:
    (site / "site.toml").write_text(
        'title = "T"\n[permalinks]\nbriefing = "/{year}/{month}/{day}/{slug}/"\n', "utf-8"
    )
    first = raw("a-2019-05-21.txt", MORNING)
    second = raw("b-2019-05-21.txt", EVENING)
    result = ingest(first, second)
    assert result.code == 0 and "already has a briefing" not in result.err


@pytest.mark.parametrize(
    ("lead", "summary"),
    [
        ("Arvo Lind resigned on Tuesday. He gave no reason.", "Arvo Lind resigned on Tuesday."),
        (
            "NEW You can now listen to Valdoria Post articles! Arvo Lind resigned on Tuesday.",
            "Arvo Lind resigned on Tuesday.",
        ),
        (
            "Good morning and welcome to the Post's morning newsletter. Lind resigned today.",
            "Lind resigned today.",
        ),
        (
            "This article is an on-site version of our Daily newsletter.",
            "Mira Tran spoke at length.",
        ),
        ("logo #", "Mira Tran spoke at length."),
        ("Trouble viewing this email? View it in your browser.", "Mira Tran spoke at length."),
        ("International Edition Prayer Times Weather", "Mira Tran spoke at length."),
        (
            "Lind said he would listen to the protesters.",
            "Lind said he would listen to the protesters.",
        ),
    ],
)
def test_the_summary_is_the_first_sentence_of_news_not_of_the_page(
    ingest, raw, site: Path, lead: str, summary: str
) -> None:
    path = raw("2019-05-21.txt", f"Notes\n\n{lead}\n\nKEY POINTS\n\n- Mira Tran spoke at length.")
    assert ingest(path).code == 0
    written = (site / "content" / "briefings" / "2019-05-21-notes.md").read_text("utf-8")
    assert f"\nsummary: {summary}\n" in written


@pytest.mark.parametrize(
    ("heading", "file_name"),
    [
        ("Morning Notes", "2019-05-21-morning-notes.md"),
        ("Ukraine", "2019-05-21-ukraine.md"),  # one word: a section's label, not a day's title
        ("TOP 3", "2019-05-21-top-3.md"),
        ("TOP STORIES TODAY", "2019-05-21-top-stories-today.md"),
        ("Good Morning", "2019-05-21-good-morning.md"),
        ("Most Popular", "2019-05-21-most-popular.md"),
        ("Presented by Larkmart Bank", "2019-05-21-presented-by-larkmart-bank.md"),
        ("By Jo Park and Al Reyes", "2019-05-21-key-points.md"),
        ("Tuesday, May 21, 2019 6:02 a.m. EDT", "2019-05-21-key-points.md"),
        ("Ostria 3 hours ago", "2019-05-21-ostria-3-hours-ago.md"),
        ("Selm Courier - Get all the news on our app", "2019-05-21-key-points.md"),
        ("[-MAILING_REFERENCE_NUMBER-]", "2019-05-21-mailing-reference-number.md"),
        ("Selm, Ostria Tuesday 21 May 2019", "2019-05-21-selm-ostria-tuesday-21-may-2019.md"),
        ("SelmCourier.com Staff", "2019-05-21-selmcourier-com-staff.md"),  # a byline
        ("Morning Report artwork", "2019-05-21-morning-report-artwork.md"),  # alt text
        ("A crowd in Selm on May 20. (Kyodo) ==Kyodo", "2019-05-21-key-points.md"),  # a caption
        ("at 18:00 (JST), May 21", "2019-05-21-at-18-00-jst-may-21.md"),  # a broadcast's time
        ("Selm Courier uses cookies to improve your visit", "2019-05-21-key-points.md"),
    ],
)
def test_a_heading_that_is_page_furniture_is_not_the_title(
    ingest, raw, site: Path, heading: str, file_name: str
) -> None:
    path = raw("2019-05-21.txt", f"{heading}\n\nArvo Lind spoke.\n\nKEY POINTS\n\n- An item.")
    assert ingest(path).code == 0
    written = (site / "content" / "briefings" / file_name).read_text("utf-8")
    title = heading if heading == "Morning Notes" else "'May 21: What you need to know'"
    assert f"\ntitle: {title}\n" in written


def test_a_headline_read_as_the_lead_is_the_title(ingest, raw, site: Path) -> None:
    """A pasted page opens with its headline, then page furniture the parser takes for a title
    or heading (a label, a photo credit): the headline is the title, and neither the body nor
    the summary repeats it."""
    headline = "Valdoria-Ostria war: list of key events, day 12"
    text = (
        f"{headline}\n\nArvo Lind spoke to reporters in Selm on Monday.\n\nFighting\n\n"
        "- Ostrian forces shelled the port."
    )
    assert ingest(raw("2019-05-21.txt", text)).code == 0
    written = next((site / "content" / "briefings").glob("*.md")).read_text("utf-8")
    front, body = written.split("---\n")[1:3]
    assert f"title: '{headline}'\n" in front
    assert "summary: Arvo Lind spoke to reporters in Selm on Monday.\n" in front
    assert headline not in body and body.startswith("[[Arvo Lind]] spoke")


def test_a_trail_of_links_ends_with_the_headline(ingest, raw, site: Path) -> None:
    text = (
        "You are here Home > News > Selm News 21.05\n\nArvo Lind spoke in Selm on Monday.\n\n"
        "Fighting\n\n- Ostrian forces shelled the port."
    )
    assert ingest(raw("2019-05-21.txt", text)).code == 0
    written = next((site / "content" / "briefings").glob("*.md")).read_text("utf-8")
    front, body = written.split("---\n")[1:3]
    assert "title: Selm News 21.05\n" in front
    assert "You are here" not in body


@pytest.mark.parametrize(
    "lead",
    [
        "Arvo Lind spoke to reporters in Selm on Monday.",  # a sentence: the lead
        "Good morning",  # a greeting
        "3 hours ago",  # furniture
        "Lind",  # a word
    ],
)
def test_a_lead_that_is_no_headline_is_not_the_title(ingest, raw, site: Path, lead: str) -> None:
    text = f"{lead}\n\nMira Tran spoke on Monday.\n\nFighting\n\n- Ostrian forces shelled the port."
    assert ingest(raw("2019-05-21.txt", text)).code == 0
    written = next((site / "content" / "briefings").glob("*.md")).read_text("utf-8")
    assert "\ntitle: 'May 21: What you need to know'\n" in written


def test_an_actor_file_linked_from_elsewhere_in_the_site_is_in_the_cache_key(
    ingest, raw: Callable, site: Path, monkeypatch
) -> None:
    # the registry follows a link that stays in the site; its digest skipped it, so an edit
    # of the linked file kept the old analysis
    shared = site / "shared" / "lind.md"
    shared.parent.mkdir(parents=True)
    shared.write_text("---\nname: Arvo Lind\nkind: person\n---\n", encoding="utf-8")
    (site / "content" / "actors").mkdir(parents=True)
    (site / "content" / "actors" / "lind.md").symlink_to(shared)
    path = raw("2022-01-27.txt", SAMPLE)
    assert ingest(path).code == 0
    shared.write_text(
        "---\nname: Arvo Lind\nkind: person\naliases: [Lind]\n---\n", encoding="utf-8"
    )
    calls = []
    real = pipeline.load_pipeline
    monkeypatch.setattr(pipeline, "load_pipeline", lambda: calls.append(1) or real())
    assert ingest(path).code == 0
    assert calls == [1]


KROSS = """date 2022-01-27 Talks failed on Monday.

Jan. 27: What you need to know today

Foreign Minister Vera Kross said the talks had failed.
"""


def test_an_input_that_fails_leaves_no_stub(ingest, raw: Callable, site: Path) -> None:
    first = raw("a.txt", KROSS)
    second = raw("b.txt", KROSS.replace("Foreign Minister Vera Kross", "Minister Arvo Lindqvist"))
    result = ingest(first, second)
    assert result.code == 1
    assert f"{second}: writes the same file as {first}" in result.err
    stubs = sorted(p.name for p in (site / "content/actors").glob("*.md"))
    assert stubs == ["vera-kross.md"]  # not arvo-lindqvist.md: no briefing names him
    assert "1 new actor stubs" in result.out


def test_a_refused_input_leaves_no_stub(ingest, raw: Callable, site: Path) -> None:
    path = raw("a.txt", KROSS)
    assert ingest(path).code == 0
    written = next((site / "content/briefings").glob("*.md"))
    written.write_text(written.read_text(encoding="utf-8") + "\nAn editor's line.\n", "utf-8")
    (site / "content/actors/vera-kross.md").unlink()  # the editor's call: no page for her
    raw("a.txt", KROSS + "\nMinister Arvo Lindqvist said the budget would pass.\n")
    result = ingest(path)
    assert result.code == 1 and "exists and differs" in result.err
    assert list((site / "content/actors").glob("*.md")) == []
    assert "0 new actor stubs" in result.out


def test_the_stubs_a_refused_input_left_out_are_written_when_it_is_forced(
    ingest, raw: Callable, site: Path
) -> None:
    """The refused run's analysis, made with its stubs known, was cached: `--force` then
    took it from the cache, replaced the briefing and wrote no stub for its actors."""
    path = raw("a.txt", KROSS)
    briefings = site / "content/briefings"
    briefings.mkdir(parents=True)
    (briefings / "2022-01-27-what-you-need-to-know-today.md").write_text("Mine.\n", "utf-8")
    assert ingest(path).code == 1  # refused: the file is not ingest's
    assert not (site / "content/actors").exists()
    result = ingest(path, force=True)
    assert result.code == 0, result.err
    assert (site / "content/actors/vera-kross.md").is_file()
    assert ingest(path).out.endswith("1 of 1 inputs ingested, 0 new actor stubs, 0 failed\n")


def test_a_headline_that_alone_names_an_actor_stays_in_the_body(ingest, raw, site: Path) -> None:
    text = (
        "Valdoria-Ostria war: Arvo Lind visits the front on day 12\n\n"
        "Mira Tran spoke to reporters in Selm on Monday.\n\nFighting\n\n"
        "- Ostrian forces shelled the port."
    )
    assert ingest(raw("2019-05-21.txt", text)).code == 0
    body = next((site / "content" / "briefings").glob("*.md")).read_text("utf-8").split("---\n")[2]
    assert body.startswith("Valdoria-Ostria war: [[Arvo Lind]] visits the front on day 12\n")


@pytest.mark.parametrize(
    "heading",
    [
        "May 21: What you need to know about *rates*, Q&A <live> [1] snake_case {#id}",
        "We're #1 #",  # a closing '#' to Markdown: it was left out of the page
        "May 21: what you need to know ##",
        "May 21: what you need to know \\#",
        "May 21: C#",
    ],
)
def test_a_heading_is_written_as_the_build_shows_it(ingest, raw, site: Path, heading) -> None:
    """The build takes a heading line's text as plain text (never Markdown): an escape
    written there showed to readers ('\\*up\\*', '&lt;live>'). A '#' at the end is written
    '\\#' (Markdown's closing '#'s are stripped), which the build reads as '#'."""
    from sitegen.body import split_blocks

    text = f"date 2019-05-21 Arvo Lind spoke.\n\n{heading}\n\n- An item about rates."
    assert ingest(raw("2019-05-21.txt", text)).code == 0
    written = next((site / "content" / "briefings").glob("*.md")).read_text("utf-8")
    body = written.split("---\n", 2)[2]
    headings = [b.text for b in split_blocks(body) if b.kind == "heading"]
    assert headings == [heading]


EDITION_AM = "date 2022-04-01\n\nMorning edition: Arvo Lind said the budget would pass.\n"
EDITION_PM = "date 2022-04-01\n\nEvening edition: Jo Hale said the budget failed.\n"


def test_a_briefing_another_input_wrote_is_never_replaced_without_force(
    ingest, raw: Callable, site: Path
) -> None:
    """Two editions of one day without a heading write the same file name: the second is
    refused, even though the first is ingest's own, unedited output; the refusal names the
    input that wrote it (it said '(edited by hand?)', which sent the editor looking for an
    edit nobody made)."""
    morning = raw("morning.txt", EDITION_AM)
    assert ingest(morning).code == 0
    [briefing] = (site / "content/briefings").glob("*.md")
    before = briefing.read_bytes()
    evening = raw("evening.txt", EDITION_PM)
    refused = ingest(evening)
    assert refused.code == 1
    assert refused.err.endswith(
        f"{evening}: content/briefings/{briefing.name} was written from {morning}, another "
        "input with that day and headline; not overwritten: use --force to replace it (a "
        "backup is kept), or give one of them another headline\n"
    )
    assert briefing.read_bytes() == before
    briefing.write_bytes(before + b"An editor's line.\n")
    assert "exists and differs (edited by hand?)" in ingest(evening).err


def test_a_briefing_from_standard_input_is_never_replaced_without_force(
    ingest, raw: Callable, site: Path
) -> None:
    assert ingest("-", stdin=EDITION_AM).code == 0
    [briefing] = (site / "content/briefings").glob("*.md")
    before = briefing.read_bytes()
    assert ingest("-", stdin=EDITION_AM.replace("would pass", "passed")).code == 1
    assert briefing.read_bytes() == before


def test_an_edited_source_line_is_never_taken_for_ingests_own(
    ingest, raw: Callable, site: Path
) -> None:
    """Only the source: line differs (the input named another way, or an editor's note
    there): unchanged, but not recorded as ingest's own bytes."""
    path = raw("2022-04-01.txt", EDITION_AM)
    assert ingest(path).code == 0
    [briefing] = (site / "content/briefings").glob("*.md")
    text = briefing.read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^source: .*$", "source: https://courier.example/2022/04/01", text)
    briefing.write_text(edited, encoding="utf-8")
    assert "unchanged" in ingest(path).out
    path.write_text(EDITION_AM + "\nOstria said nothing.\n", encoding="utf-8")
    assert ingest(path).code == 1
    assert briefing.read_text(encoding="utf-8") == edited


def test_a_run_without_the_cache_that_writes_forgets_the_record(
    ingest, raw: Callable, site: Path
) -> None:
    """--no-cache --force writes version 2; an editor restores version 1 from the backup:
    the next run must not take version 1 for ingest's own (the record still named it)."""
    path = raw("2022-04-01.txt", EDITION_AM)
    assert ingest(path).code == 0
    [briefing] = (site / "content/briefings").glob("*.md")
    first = briefing.read_bytes()
    path.write_text(EDITION_AM.replace("would pass", "would pass today"), encoding="utf-8")
    assert ingest(path, use_cache=False, force=True).code == 0
    briefing.write_bytes(first)  # restored on purpose
    path.write_text(EDITION_AM.replace("would pass", "passed"), encoding="utf-8")
    assert ingest(path).code == 1
    assert briefing.read_bytes() == first


CRAFTED = {
    "a key that is no path": lambda e: e["written"].update({1: ("0" * 32, "x")}),
    "a record that is no pair": lambda e: e["written"].update({"x.md": "y"}),
    "an analysis of another shape": lambda e: [v.update(links=[]) for v in e["analyses"].values()],
    "an analysis that is a number": lambda e: e["analyses"].update({k: 5 for k in e["analyses"]}),
}


@pytest.mark.parametrize("craft", CRAFTED)
def test_a_cache_with_a_right_checksum_and_odd_values_is_not_trusted(
    ingest, raw: Callable, site: Path, craft: str
) -> None:
    path = raw("2022-04-01.txt", EDITION_AM)
    first = ingest(path, fmt="json")
    cache = site / ".sitegen-cache" / "ingest.marshal"
    stored = marshal.loads(cache.read_bytes())
    entries = marshal.loads(stored["entries"])
    CRAFTED[craft](entries)
    payload = marshal.dumps(entries, 2)
    stored["entries"] = payload
    stored["checksum"] = hashlib.blake2b(payload, digest_size=16).hexdigest()
    cache.write_bytes(marshal.dumps(stored, 2))
    again = ingest(path, fmt="json")
    assert again.code == 0, again.err
    assert again.json() == first.json()
    assert ".sitegen-cache/ingest.marshal: warning:" in again.err
    assert "Traceback" not in again.err


def test_a_cache_file_that_is_a_link_is_not_used(ingest, raw: Callable, site: Path) -> None:
    elsewhere = site.parent / "other.marshal"
    elsewhere.write_bytes(b"another site's cache")
    (site / ".sitegen-cache").mkdir()
    (site / ".sitegen-cache" / "ingest.marshal").symlink_to(elsewhere)
    result = ingest(raw("2022-04-01.txt", EDITION_AM))
    assert result.code == 0, result.err
    assert "ingest.marshal is a link: the cache is not used" in result.err
    assert elsewhere.read_bytes() == b"another site's cache"


def test_a_file_name_that_is_not_utf8_is_ingested_and_shown_escaped(
    ingest, site: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "raw"
    folder.mkdir()
    name = os.fsdecode(b"2022-04-01-i\xffj.txt")
    (folder / name).write_text(EDITION_AM, encoding="utf-8")
    result = ingest(folder)
    assert result.code == 0, result.err
    assert "\\udcff" in result.out or "\\xff" in result.out
    assert all(line.isprintable() for line in result.out.splitlines())


# An invented briefing in Spanish: the names are there, the English model misses most of them.
SPANISH = (
    "date 2024-03-05 El gobierno de la ciudad anunció el martes un nuevo plan para el agua, "
    "después de una semana de cortes en los barrios del norte.\n\n"
    "Lo que necesita saber hoy\n\n"
    "1. La alcaldesa Marta Ruiz dijo que los camiones cisterna llegarán a todas las colonias "
    "antes del viernes, y que la empresa pagará por los daños.\n\n"
    "2. Los vecinos de San Miguel protestaron frente al ayuntamiento; según la policía, "
    "eran unas trescientas personas y no hubo detenidos.\n\n"
    "3. El ministro de Obras Públicas, Jorge Salas, visitará la planta de tratamiento el "
    "jueves para revisar las bombas que fallaron la semana pasada.\n\n"
    "4. La oposición pidió una investigación sobre el contrato de mantenimiento, firmado "
    "hace dos años sin concurso público.\n"
)


def test_a_briefing_not_in_english_is_written_with_one_warning(
    ingest, raw: Callable, site: Path
) -> None:
    path = raw("2024-03-05.txt", SPANISH)
    result = ingest(path)
    assert result.code == 0, result.err
    warned = [line for line in result.err.splitlines() if "English" in line]
    assert warned == [
        f"{path}:1: warning: most of this text does not read as English, and the model that "
        "finds actors and quotes is English: check the ones found, and add those it missed"
    ]
    written = next((site / "content/briefings").glob("2024-03-05-*.md")).read_text("utf-8")
    assert "review: true" in written.split("---\n")[1]


def test_the_measure_of_english() -> None:
    from sitegen.ingest.language import english_share, reads_as_english

    assert not reads_as_english(SPANISH)
    assert reads_as_english(SAMPLE)
    # names, sentence starts and quotes do not count: only the lower-case words outside quotes
    share, count = english_share('Marta Ruiz said "los camiones llegarán" in the city')
    assert (share, count) == (0.75, 4)
    assert reads_as_english("los vecinos " * 20)  # too few words to tell


def test_only_the_tagalog_briefings_of_the_corpus_read_as_not_english() -> None:
    from sitegen.ingest.language import reads_as_english
    from sitegen.ingest.rawparse import decode

    corpus = Path(__file__).parent.parent / "ingest_corpus"
    files = sorted(corpus.glob("*/*/*.txt"))
    assert len(files) > 1000
    flagged = {p.parent.name for p in files if not reads_as_english(decode(p.read_bytes()))}
    tagalog = [p for p in files if p.parent.name == "gma-news"]
    assert flagged == {"gma-news"}
    assert all(not reads_as_english(decode(p.read_bytes())) for p in tagalog)


def test_a_file_named_twice_is_ingested_once(ingest, raw: Callable, site: Path) -> None:
    """Named twice (itself, through its folder, by a link), it clashed with itself:
    'raw/x.txt: writes the same file as raw/x.txt', exit 1."""
    path = raw("2022-01-27.txt", SAMPLE)
    (path.parent / "link.txt").symlink_to(path.name)
    result = ingest(path, path, path.parent, path.parent / "." / path.name, "-", "-")
    assert "writes the same file" not in result.err
    assert "1 of 2 inputs ingested" in result.out  # (standard input is empty: one failure)
    assert len(list((site / "content/briefings").glob("*.md"))) == 1


def test_briefings_and_stubs_go_where_site_toml_puts_content(
    ingest, raw: Callable, site: Path
) -> None:
    """`[paths] content = "news"`: ingest wrote into content/ all the same, where the build
    never looked, and read no actor registry."""
    with (site / "site.toml").open("a", encoding="utf-8") as config:
        config.write('\n[paths]\ncontent = "news"\n')
    actors = site / "news" / "actors"
    actors.mkdir(parents=True)
    (actors / "lavrov.md").write_text(
        "---\nname: Sergei Lavrov\nkind: person\n---\n", encoding="utf-8"
    )
    result = ingest(raw("2022-01-27.txt", SAMPLE))
    assert result.code == 0, result.err
    assert "wrote news/briefings/2022-01-27-what-you-need-to-know-today.md" in result.out
    assert not (site / "content").exists()
    assert not (actors / "sergei-lavrov.md").exists()  # the registry there was read
    assert (actors / "recep-tayyip-erdogan.md").is_file()
