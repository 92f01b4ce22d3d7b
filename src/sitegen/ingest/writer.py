"""Briefing and actor files: Markdown with YAML front matter, written safely.

Raw text is escaped so that Markdown cannot read it as markup (a leading `#` or `1.`,
`[[`, `*`, raw HTML): the words a reader sees are the words of the input. Files are
written atomically, only when their content changes, and an edited file is replaced only
with --force, after a copy is kept under `.sitegen-backups/`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import tempfile
from pathlib import Path

import yaml
from slugify import slugify

from ..diagnostics import one_line
from .actors import Analysis
from .rawparse import RawBriefing, default_title
from .registry import Actor
from .textutil import Mention, sentence_starts

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_INLINE = re.compile(r"[\\`*_\[\]<]|&(?=#?\w+;)|\{(?=#)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|=+\s*$|(\d+)([.)])(?=\s|$))")
BACKUP_DIR = ".sitegen-backups"
_LEADING_DAY = re.compile(
    r"^\W*(?:\w+day,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{4}-\d\d-\d\d)\s*[:|–—-]\s*"
)

# A sentence about the publication, not the news: a greeting, a newsletter or audio notice, a
# "read more". A page pasted whole often starts with one; as the summary it would be what
# lists, feeds and link previews show for the day ("You can now listen to our articles!").
_ABOUT_THE_PUBLICATION = re.compile(
    r"\b(?:(?:e-)?newsletters?|newsroom|cookies|küpsis|eväste|logo\b|brings? you\b|subscribe[sd]?"
    r"|subscriptions?|sign(?:ed|ing)? up|unsubscribe|inbox|readers like you|your settings\b"
    r"|(?:this|today's|today’s|our) (?:article|email|edition|page|briefing|issue)\b"
    r"|on-?site (?:version|model)|welcome (?:to|back)\b|good (?:morning|afternoon|evening)\b"
    r"|(?:our|your|my) (?:guide|daily|weekly|morning|evening)\b|read more|click here"
    r"|(?:the|our) app\b|listen to (?:\S+ ){0,3}(?:articles?|stories|episodes?|podcasts?)\b"
    r"|in (?:a |your )?(?:web )?browse|trouble viewing|difficult to read|here you will find"
    r"|here(?:'s|’s| is| are) (?:what|all)\b|(?:news|stories) you need to know"
    r"|^\W*(?:published|updated|posted)\b|\S+@\S+\.\w+)",
    re.IGNORECASE,
)
# A sentence is prose when it has a few lower-case words; navigation and furniture rows
# ("International Edition Prayer Times Weather") are all capitals.
_LOWER_WORD = re.compile(r"(?<![^\s'‘“(])[a-z]{2,}\b")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _summary(briefing: RawBriefing) -> str | None:
    """The first sentence of news: of the lead, else of the background and items, leaving
    out sentences about the publication, rows of page furniture and scraps of a few words
    ('logo #', 'TOP 3'), and the page's headline (the title), which pages often print twice."""
    title = " ".join((headline_of(briefing) or "").casefold().split())
    for text, _ in briefing.segments():
        starts = sentence_starts(text)
        for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
            sentence = text[start:end].strip()
            if _is_news(sentence) and " ".join(sentence.casefold().split()) != title:
                return sentence
    return None


def _is_news(sentence: str) -> bool:
    return (
        len(_WORD.findall(sentence)) >= 3
        and len(_LOWER_WORD.findall(sentence)) >= 2
        and not _ABOUT_THE_PUBLICATION.search(sentence)
    )


def _escape_inline(text: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(0)
        return {"<": "&lt;", "&": "&amp;"}.get(char, "\\" + char)

    return _INLINE.sub(replace, text)


def _escape_line_start(line: str) -> str:
    """A line must not open a heading, quote, list or rule."""
    match = _LINE_START.match(line)
    if not match:
        return line
    at = match.start(4) if match.group(3) else match.start(2)
    return line[:at] + "\\" + line[at:]


def escape(text: str) -> str:
    """Plain text -> Markdown that shows exactly that text."""
    return _escape_line_start(_escape_inline(text).strip())


def marked_up(text: str, mentions: list[Mention]) -> str:
    """The paragraph with its mentions as [[Name]] / [[Name|as written]], the rest escaped."""
    pieces, at = [], 0
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < at:
            continue
        written = text[mention.start : mention.end]
        pieces.append(_escape_inline(text[at : mention.start]))
        pieces.append(
            f"[[{mention.name}]]" if written == mention.name else f"[[{mention.name}|{written}]]"
        )
        at = mention.end
    pieces.append(_escape_inline(text[at:]))
    return _escape_line_start("".join(pieces).strip())


# A heading that is page furniture, not a title: links and labels of the page around the
# briefing ("Back to top", "Search this blog", "Most popular", "Login ID:").
_NAVIGATION = re.compile(
    r"^\W*(?:back to top|search(?: this)? (?:blog|site)|most (?:popular|read|viewed)|log ?in\b"
    r"|sign in\b|menu\b|uncategori[sz]ed|articles by\b|latest news\b|skip to\b)"
    r"|need your (?:help|support)\b",
    re.IGNORECASE,
)


def headline_of(briefing: RawBriefing) -> str | None:
    """The page's headline, when one reads as a title: the input's title line or first
    heading, else its first line when that is a headline the parser took for the lead. A
    pasted page often opens with its headline and then page furniture (a sponsor line, a
    photo credit, a byline, a date, a section label), which the parser may take for the
    title or the first heading: those are not titles, and the day's default title is used
    when nothing is. (The file name still comes from the heading, so that it stays what it
    was and two inputs of a day still differ.)"""
    title = _after_breadcrumb(briefing.title) if briefing.title else None
    title = title if title and _reads_as_title(title) else None
    if title is not None and _long_title(title):
        return title
    # the lead comes before the first heading: a headline there is the page's
    lead = _lead_headline(briefing)
    if lead is not None or title is not None:
        return lead or title
    if briefing.title is not None and not _page_control(briefing.title):
        return None  # under a title, never a heading; under a page's control, its heading
    heading = next((s.heading for s in briefing.sections if not s.made_up), None)
    heading = _after_breadcrumb(heading) if heading else None
    if heading and _reads_as_title(heading):
        return heading
    return _named_headline(briefing)


def _named_headline(briefing: RawBriefing) -> str | None:
    """Under a first heading that is a label ('Podcasts', 'News |', a date), the first line of
    its section when it is an edition's name and its headline, joined by a colon ('Friday's
    papers: ...', 'HEADLINES: ... | May 21, 2019'): one line, no sentence end."""
    section = next((s for s in briefing.sections if not s.made_up), None)
    if section is None or not section.items:
        return None
    line = section.items[0].strip()
    words = _WORD.findall(line)
    if (
        "\n" in line
        or not _LABEL_COLON.search(line)  # (not a time's: '08:15 Lind said ...' is an item)
        or not 3 <= len(words) <= 25
        or len(line) > 200
        or line.rstrip("\"”’')").endswith((".", ",", ";", ":", "…"))
    ):
        return None
    return line if _reads_as_title(line) else None


_LABEL_COLON = re.compile(r"(?<!\d):|:(?!\d)")
_BREADCRUMB = re.compile(r"\s(?:>|»|›|/)\s")


def _page_control(line: str) -> bool:
    """A line of the page's controls, links and notices ("Accessibility links", "Go to
    Contents Go to Navigation"), a podcast's artwork or a live page's label, above the page's
    own headline."""
    controls = (_PAGE_NOTICE, _PAGE_LINKS, _NAVIGATION, _ARTWORK, _LIVE_LABEL)
    return any(pattern.search(line) for pattern in controls)


def _after_breadcrumb(heading: str) -> str:
    """'You are here Home > News > World News 15.07': a page's trail of links ends with the
    page's own headline."""
    parts = _BREADCRUMB.split(heading)
    return parts[-1].strip() if len(parts) >= 3 else heading


# Lines that pages print around their headline: a sponsor, a credit or byline, template
# placeholders of a mailing, controls and labels of the page.
_FURNITURE = re.compile(
    r"^\W*(?:(?:presented|sponsored|powered|brought to you|written|photo(?:graph)?s?) by\b"
    r"|by (?-i:[A-Z])|in partnership with\b|advertisement\b|paid (?:post|content)\b|type to search"
    r"|search\b.*:$|categor(?:y|ies)\b|archives?\b|all (?:top )?(?:news|stories)\b"
    r"|listen now\b|watch (?:this|now|live)\b|loading\b|live (?:reporting|ended)\b"
    r"|(?:posted|issued|modified) on\b|become a (?:member|patron)|support our\b|share this\b"
    r"|(?:get|add|visit|join|download|follow)\b.{0,40}\b(?:your|our|the new|us)\b"
    r"|(?:today'?s |today’s |the )?(?:top|latest|breaking) (?:news|stories|headlines)\b)"
    r"|\b\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago\b"
    r"|^\W*(?:last|this) (?:year|month|week)\W*$"
    r"|\b(?:getty images|ap photo|afp photo|file photo)\b|[{\[]-?[A-Z_]{3,}-?[}\]]|\{\w+\}"
    r"|^\S+\.(?:com|org|net|news|co\.\w\w)$"
    r"|^\W*(?:\S+ )?staff(?: writers?| reporters?)?\W*$"  # 'CTVNews.ca Staff': a byline
    r"|\(photo by\b|==\w+\W*$|open this photo\b|\bartwork\W*$",  # a photo's caption or alt text
    re.IGNORECASE,
)
# What is left of a line that only gives a date or a time once its words for them are gone.
_DATE_WORDS = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"  # (glued to a place: "UAETuesday")
    r"|\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?"
    r"|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?"
    r"|dec(?:ember)?|[ap]\.?m\.?|gmt|utc|ist|e[sd]t|[cp][sd]t|bst|cet|updated|published)\b"
    r"|\b(?:jst|kst|hkt|sgt|aest|aedt|nzst|nzdt|cest|eest|msk|at|on|as of)\b"  # 'at 18:00 (JST)'
    r"|\d+(?:st|nd|rd|th)?",
    re.IGNORECASE,
)


_FULL_DATE = re.compile(
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b.{0,20}\b\d{4}\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{4}\b",
    re.IGNORECASE,
)


# A photo's caption or credit, wherever it stands in the line: an agency and a photographer
# joined by a slash ("REUTERS/Jo Park", "Jo Park/AFP/Getty", "[Reuters / Jo Park]"), a photo
# "by" or "courtesy of" someone, the place of people in the picture ("Lind (R) and Kross (L)").
_AGENCY = (
    r"(?:reuters|afp|ap|getty(?: images)?|istock(?:photo)?|epa|efe|xinhua|handout|pool"
    r"|shutterstock|ani|pti|kyodo|yonhap|dpa|anadolu|sputnik|tass|noaa|nasa)"
)
_CAPTION = re.compile(
    rf"\b{_AGENCY}\s*/|/\s*{_AGENCY}\b"
    r"|\b(?:photo|picture|image)s? (?:by|courtesy)\b|\bpicture taken\b"
    r"|\((?:l|r|c|left|right|cent(?:re|er)|front|back)\)",
    re.IGNORECASE,
)

# The page's controls and notices to its reader: an email's "View email online", a browser's
# or a paywall's notice, accessibility and "see also" links, an address, a news ticker.
_PAGE_NOTICE = re.compile(
    r"\bview (?:this |the )?(?:email|e-mail|newsletter|online|as a web ?page)\b"
    r"|\byour browser\b|\baccessibility (?:links?|statement|options|help)\b"
    r"|\bcan['’]?t find what\b|\bfree (?:stories|articles)\b"
    r"|\b(?:see|read) more at\b|https?://|\bwww\.\w|\bnews ticker\b"
    r"|\b(?:also see|see also|related)\s*:\s*$",
    re.IGNORECASE,
)

# A teaser that speaks of the page's own stories ("Here are today's top stories on X", "A look
# at the headlines right now", "Good day. These are the stories from ..."), not a story's.
_TEASER = re.compile(
    r"^\W*(?:good (?:morning|day|evening)\W+)?(?:here are|these are|a look at|below are"
    r"|a (?:handpicked |hand-picked )?(?:list|selection|round-?up) of"
    r"|get (?:the |today['’]s |our |all ))\b.{0,40}"
    r"\b(?:stories|headlines|news)\b",
    re.IGNORECASE,
)

# A byline with the writer's role ("Jo Park, Editor of the Courier", "Jo Park Editor: Selm
# Courier", "A message from Jo Park, Editor of ..."), or a pasted table's row of cells ("| Jo
# Park | Editor of the Courier |"): a name before the role, not a headline's "editor of".
_ROLE_BYLINE = re.compile(
    r"^\s*\||(?:^\W*|\b(?:from|by) )[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3}\s*[,|]?\s*"
    r"(?i:editor|correspondent|columnist|reporter)(?i:-in-chief)?\s*(?:of|at|:|,|\|)"
)

# A broadcast's slot in a listing ("Selm Morning News May 21, 2019 4:00am-5:00am EDT").
_SLOT = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\.?\s*[-–]\s*\d{1,2}(?::\d\d)?\s*[ap]\.?m\b", re.IGNORECASE
)

# A page's links to its own parts and to share it ("Go to Contents Go to Navigation", "Skip to
# first unread message", "Back to list", "share with facebook share with twitter").
_PAGE_LINKS = re.compile(
    r"\b(?:go|skip|jump) to (?:the )?(?:main )?(?:content|contents|navigation|first unread)\b"
    r"|\bback to (?:list|home)\b|\bconnect with us\b|\bfollow us\b"
    r"|\bshare (?:to|with|on) (?:or\b|facebook|twitter|x\b|whatsapp|e-?mail)",
    re.IGNORECASE,
)

# A podcast's artwork, as its alt text reads ("The Front Page - podcast cover", "Selm Daily
# Cover Selm Daily Profile", "Selm Daily cover art"), above the episode's own title.
_ARTWORK = re.compile(
    r"\bpodcast cover\b|\bcover (?:art|image)\b|\bcover\b.{0,40}\bprofile\W*$|カバーアート",
    re.IGNORECASE,
)

# A live page's own labels ("Live blog update| ...", "Live updates (closed)", "Blog is now
# closed", "Key events"), above the entry's headline; "Live updates: <headline>" is a title.
_LIVE_LABEL = re.compile(
    r"^\W*live (?:blog|updates?|news stream)\b(?!\s*:)|\bkey events\W*$"
    r"|\b(?:blog|live updates?) (?:is now )?\(?closed\)?",
    re.IGNORECASE,
)

# A line that speaks to the reader before the news: a greeting or an aside that opens with a
# word and a comma ("Hello, and welcome", "Ok, let's break down ...", "Plus, a ...").
_ASIDE = re.compile(r"^\W*(?:plus|also|hello|hi|hey|ok|okay)\b\s*[,!]", re.IGNORECASE)

# The page's appeal to its reader ("Your support helps us to tell the story", "Follow here for
# the latest updates").
_APPEAL = re.compile(r"^\W*(?:your support|help us|donate|follow (?:here|along))\b", re.IGNORECASE)


# what stands where a headline goes but is none: furniture, the page's own controls and notes
_NOT_A_TITLE = (
    _FURNITURE, _NAVIGATION, _ABOUT_THE_PUBLICATION, _CAPTION, _PAGE_NOTICE, _TEASER,
    _ROLE_BYLINE, _SLOT, _PAGE_LINKS, _ARTWORK, _LIVE_LABEL, _ASIDE, _APPEAL,
)  # fmt: skip


def _reads_as_title(heading: str) -> bool:
    """Not a section label ('POLITICS', 'TOP STORIES', 'Markets'), page furniture, a date or
    a time: a title has two words or more, and more than three when set in capitals."""
    words = _WORD.findall(heading)
    rest = _WORD.findall(_DATE_WORDS.sub(" ", heading))
    # a dateline: a place in capitalised words, then the day ("Abu Dhabi, UAE Tuesday 25
    # June 2019"), not a headline with a date in it ("Morning digest: June 26, 2025")
    only_a_date = not rest or (
        _FULL_DATE.search(heading) is not None
        and len(rest) <= 3
        and all(word[0].isupper() for word in rest)
    )
    return (
        len(words) >= (4 if heading.upper() == heading else 2)
        and not only_a_date
        and not any(pattern.search(heading) for pattern in _NOT_A_TITLE)
    )


def _long_title(heading: str) -> bool:
    """Long enough to be a page's headline rather than a label over a section ('Fed policy',
    'South Africa, World')."""
    return len(_WORD.findall(heading)) >= 4


def _lead_is_title(briefing: RawBriefing) -> bool:
    """Whether the page's headline, now the title, was read as the lead."""
    lead = briefing.lead.strip()
    return bool(lead) and headline_of(briefing) in (lead, _after_breadcrumb(lead))


def _lead_headline(briefing: RawBriefing) -> str | None:
    """The lead when it is the page's headline: one line of a few words with no sentence end
    before more text, as pages print their headline above the rest (or at the end of their
    trail of links)."""
    lead = _after_breadcrumb(briefing.lead.strip())
    words = _WORD.findall(lead)
    if (
        not (briefing.background or briefing.sections)
        or "\n" in lead
        or not 2 <= len(words) <= 25
        or len(lead) > 200
        or (lead.endswith((".", ",", ";", ":", "…")) and not lead.endswith(("a.m.", "p.m.")))
        or _FURNITURE.search(lead)
        or _NAVIGATION.search(lead)
    ):
        return None
    return lead if _reads_as_title(lead) else None


def title_of(briefing: RawBriefing) -> str:
    return headline_of(briefing) or default_title(briefing.date)


def briefing_name(briefing: RawBriefing) -> str:
    """YYYY-MM-DD-<slug>.md; the slug leaves out a date the heading starts with."""
    headline = _LEADING_DAY.sub("", briefing.headline or "")
    slug = slugify(headline, max_length=80, word_boundary=True)
    return f"{briefing.date.isoformat()}-{slug or 'briefing'}.md"


def _front_matter(data: dict) -> str:
    dumped = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )
    return f"---\n{dumped}---\n"


def briefing_front_matter(briefing: RawBriefing, analysis: Analysis, source: str) -> dict:
    data: dict = {"title": title_of(briefing), "date": briefing.date}
    summary = _summary(briefing)
    if summary:
        data["summary"] = summary
    if analysis.actors:
        data["actors"] = [a.name for a in analysis.actors]
    if analysis.quotes:
        data["quotes"] = [_quote(q.actor, q.text, q.item) for q in analysis.quotes]
    if briefing.credits:
        data["credits"] = list(briefing.credits)
    data["source"] = one_line(source)  # a control character would fail the build's checks
    if briefing.warnings:
        data["review"] = True
    return data


def _quote(actor: str | None, text: str, item: int | None) -> dict:
    quote: dict = {"actor": actor, "text": text}
    if item is not None:
        quote["item"] = item
    return quote


def render_briefing(briefing: RawBriefing, analysis: Analysis, source: str) -> str:
    blocks = [
        marked_up(text, links)
        for (text, item), links in zip(briefing.segments(), analysis.links, strict=True)
        if item is None
    ]
    # The title line and a lead that is the headline are the page's title, not its text,
    # unless one alone names one of its actors. (A title line that reads as no title, a
    # logo's 'logo', goes too: the writer titles the page with the lead then.)
    lead = 1 if briefing.title_read else 0
    headline = [*range(lead), *([lead] if _lead_is_title(briefing) else [])]
    for index in reversed(headline):  # (blocks and segments share these first indexes)
        if _named_again(analysis, index):
            del blocks[index]
    items = iter(
        marked_up(text, links)
        for (text, item), links in zip(briefing.segments(), analysis.links, strict=True)
        if item is not None
    )
    for section in briefing.sections:
        blocks.append("## " + _heading(section.heading))
        blocks.extend(next(items) for _ in section.items)
    body = "\n\n".join(blocks)
    return _front_matter(briefing_front_matter(briefing, analysis, source)) + body + "\n"


def _named_again(analysis: Analysis, index: int) -> bool:
    """Whether every actor segment `index` links to is linked again further on."""
    later = {m.name for links in analysis.links[index + 1 :] for m in links}
    return all(m.name in later for m in analysis.links[index])


def _heading(text: str) -> str:
    """A heading's text as it is shown: the build takes a `## ` line's text as plain text,
    never as Markdown (docs/content-model.md), so an escape would show ('\\*', '&lt;'). The
    one exception is a '#' at the end, which Markdown strips as a closing one: it is
    written '\\#' ("We're #1 #"), as the build reads it."""
    text = " ".join(text.split())
    return text[:-1] + "\\#" if text.endswith("#") else text


def render_stub(actor: Actor) -> str:
    data: dict = {"name": actor.name, "kind": actor.kind}
    if actor.role:
        data["role"] = actor.role
    if actor.aliases:
        data["aliases"] = list(actor.aliases)
    data["review"] = True
    origin = Path(actor.source).name if actor.source and actor.source != "-" else "standard input"
    origin = one_line(origin)  # a control character in a file's name would fail the build
    return _front_matter(data) + f"Stub created by sitegen ingest from {origin}; please review.\n"


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp's file is private (0600): give it the mode the file had, or the one a new
        # file gets (so the desk's other accounts and tools can read what ingest wrote)
        os.chmod(temporary, _mode_of(path))
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)  # (read by setting it: the only way; put back at once)
        os.umask(mask)
        return 0o666 & ~mask


def backup_folder(folder: Path, site_dir: Path) -> Path:
    """Where the backups of a folder's files go: .sitegen-backups/<its path in the site as
    written> (`content/` may be a link to a folder elsewhere; a folder set outside the site
    keeps no path)."""
    relative = Path(os.path.relpath(folder.absolute(), site_dir.absolute()))
    if relative.parts[:1] == ("..",):
        relative = Path()
    return site_dir / BACKUP_DIR / relative


def backup(path: Path, site_dir: Path) -> Path:
    """Copy an existing file to <its backup folder>/<name>.bak-YYYYmmddHHMMSS, whole or not
    at all: the copy is written to a temporary beside it (removed by the next run if this
    one is killed, see leftovers.py) and linked to its name once complete."""
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    folder = backup_folder(path.parent, site_dir)
    for parent in [folder, *folder.parents]:  # (BACKUP_DIR among them)
        if parent == site_dir:
            break
        shown = os.path.relpath(parent, site_dir)
        if os.path.islink(parent):  # the copy would land wherever it leads
            raise OSError(f"{shown} is a link, where the backup would go")
        if os.path.lexists(parent) and not os.path.isdir(parent):  # an editor's file: kept
            raise OSError(f"{shown} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    data = path.read_bytes()
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, "wb") as stream:
            stream.write(data)
        target = folder / f"{path.name}.bak-{stamp}"
        counter = 1
        while True:
            try:  # a hard link never replaces: a name taken since (even by a link) is kept
                os.link(temporary, target)
                return target
            except FileExistsError:
                target = folder / f"{path.name}.bak-{stamp}-{counter}"
                counter += 1
    finally:  # a cut-short copy (a full disk) is no backup; a linked one keeps its name
        os.unlink(temporary)
