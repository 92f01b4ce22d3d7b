"""Words the parse-based rules need: lemmas of English news grammar, not names.

Who acts and who speaks is read from the dependency parse; these lists say which verbs
report speech, which verbs and nouns open a wanted or feared (not real) clause, which nouns
make a composite actor ("Valdorian forces", "a Brava court"), and which are not agents.
"""

from __future__ import annotations

from .lexicon import words

# Verbs that report what someone said or wrote (lemmas).
SPEECH_VERBS = words(
    "say tell add write state declare announce warn insist argue note stress explain ask "
    "reply respond tweet post claim allege acknowledge admit concede confirm urge call "
    "describe complain suggest predict promise vow pledge threaten caution recall remark "
    "comment observe joke quip lament conclude reiterate emphasise emphasize underline "
    "report deny demand accuse criticise criticize dismiss brand label term dub hail praise "
    "welcome condemn reject blame agree answer counter maintain repeat shout signal assure "
    "quote cite tout characterize characterise decry denounce slam blast chant proclaim "
    "announce estimate forecast predict recount testify vow add continue boast mock "
    "describe refer express voice speak reveal disclose acknowledge contend assert charge "
    "question wonder plead appeal declare describe liken compare write restate"
)
# Nouns through which an actor speaks: "in a statement", "Lind's call for ...".
SPEECH_NOUNS = words(
    "statement remarks comments comment message speech letter post tweet interview address "
    "announcement call appeal warning invitation offer proposal response reply answer "
    "demand demands request plea pledge promise vow decision order decree accusation "
    "claim claims words briefing report"
)
# A clause under these is wanted, feared or asked for, not done: its subject does not act.
DESIRE = words(
    "want demand seek fear worry hope wish urge ask require press insist guarantee ensure "
    "need expect call plead beg propose suggest aim plan threaten prefer"
)
DESIRE_NOUNS = words(
    "guarantee guarantees assurance assurances demand demands fear fears hope hopes call "
    "calls request requests condition conditions insistence wish risk possibility prospect "
    "threat threats concern concerns expectation expectations danger"
)
CONDITIONAL_MARKS = words("if unless whether lest")
# "Lind is ready to sign", "Valdoria is determined to ...": a position or an announced act,
# stated as fact (CONVENTIONS C2), unlike a condition ("is popular").
ATTITUDES = words(
    "ready prepared determined desperate committed willing keen eager worried afraid "
    "reluctant unwilling opposed confident adamant concerned anxious intent resolved set due "
    "scheduled slated about"
)
# Verbs whose subject undergoes rather than does (C2: "faces challenges", "was hit").
EXPERIENCES = words("face suffer endure undergo experience die live belong lose have")
# Action nouns (C14: "invasion, visit, win, decision, arrival, trip, attack, plan"): their
# possessor is not made an actor by them, even with an infinitive ('Lind's decision to go').
ACTION_NOUNS = words("decision decisions invasion visit win arrival trip attack plan plans")
# Nouns for a piece of reporting or research: its author is a source ('a Reuters report',
# 'according to a report by the Courier', 'a Detroit News poll').
REPORT_NOUNS = words(
    "report reports poll polls survey surveys analysis investigation study interview tally "
    "count estimate estimates review assessment story article reporting filing brief document "
    "documents editorial"
)
# Numbers and findings a body publishes: their author is a source, as of a report ('figures
# from the health ministry', 'data from the Courier', 'findings by the Pact'). Matched as
# written: 'a figure from the party' is a person.
SOURCE_DATA = words("figures data statistics findings research memo")
# A passive agent of these is a credit, not an act: "Edited by Jo Park", "written by" (C6).
CREDIT_VERBS = words("edit copyedit produce compile curate illustrate photograph design write")
# A writer's verbs of filing a story: with 'for' and the outlet ("Jo Park reports for the
# Ledger") the line is a credit, and the writer no actor (GUIDELINES, C6).
FILING_VERBS = words("report write")
# Names that begin with these are weather (C15): "Storm Idalia", "Super Typhoon Haiyan".
STORM_WORDS = words("storm hurricane typhoon cyclone")
# Bodies named after a person: 'the Biden administration', 'the Warnock campaign'.
PERSONAL_BODIES = words("administration government campaign team camp cabinet")
# Acts that take two parties: the one named after "with" acts as well.
JOINT_VERBS = words(
    "meet talk speak negotiate agree sign discuss confer cooperate consult phone hold coordinate "
    "sit"
)
JOINT_NOUNS = words(
    "talks talk meeting meetings call conversation negotiations discussion discussions deal "
    "agreement summit summits consultations"
)
RECIPROCAL_OBJECTS = words("meet host receive")  # "Lind met Hale": Hale takes part too
# Verbs that make their object do what the infinitive says, and say it was done: "the vote
# prompted Lind to concede", "the crisis led Selm to cut rates" (Lind, Selm act). Not "urge",
# "ask", "press", "push": what they ask for may not happen (docs/ingest.md, round 30).
CAUSATIVE_VERBS = words("lead prompt persuade force convince compel spur")
# Contests: "Kross will face Tran in the runoff", "Lind will debate Hale" (CONVENTIONS C4).
CONTEST_OBJECTS = words("face debate fight battle")

# Composite actors: "<Adjective> forces" is the armed forces, never the country.
FORCE_NOUNS = words(
    "force forces troop troops military army soldier soldiers unit units servicemen navy "
    "marines paratroopers defences defenses brigade brigades battalion battalions regiment "
    "regiments fleet"
)
# "<Adjective> officials said": the officials act for their country or body.
OFFICIAL_NOUNS = words(
    "official officials diplomat diplomats spokesman spokeswoman spokesperson spokespeople "
    "source sources negotiator negotiators leaders ministers lawmakers legislators envoys "
    "analyst analysts economist economists strategist strategists researchers experts"
)
GOVERNMENT_NOUNS = words("government leadership regime administration junta rulers")
# The last word of a country's institution, named by its adjective ("Valdoria's Defense
# Ministry" -> "Valdorian Defense Ministry"); other names keep their own form.
INSTITUTION_WORDS = words(
    "ministry department office agency bank court council committee commission parliament "
    "cabinet government service services police army navy guard staff authority authorities "
    "bureau institute embassy assembly senate house congress legislature regulator tribunal "
    "forces command intelligence prosecutor prosecutors"
)
# Offices of a city or region: "the Brava governor said" -> Brava authorities (C12).
LOCAL_OFFICES = words("governor mayor")
# Bodies named by place and common noun: "a Brava court", "authorities in Brava".
PLACE_BODY_NOUNS = words("court authorities police prosecutors prosecutor intelligence")
# The kind of a court, part of its name: "a Montana state court", "a federal appeals court".
COURT_KINDS = words(
    "federal state district appeals appeal appellate regional provincial county municipal "
    "city civil criminal military administrative magistrate magistrates family juvenile "
    "trial anti terrorism corruption -"
)

# Organisation names that are not agents: events, laws, plans, weapons, teams.
NOT_AGENT_HEADS = words(
    "war summit talks conference agreement deal accord treaty forum games olympics cup "
    "championship festival day week crisis revolution election elections referendum act "
    "bill law plan declaration initiative format process memorandum protocol charter index "
    "strategy doctrine budget communique offensive counteroffensive operation era missile "
    "missiles rocket rockets drone drones jet jets tank tanks system systems aircraft "
    "helicopter helicopters launcher launchers vehicle vehicles corridor pipeline bridge "
    "plant station airport port square street avenue stadium prize award league team tower "
    "code"
)
PRONOUNS_PERSON = words("he she him her")
PRONOUNS_BODY = words("it they its their")
TITLE_WORDS = words(
    "mr mrs ms miss dr sir dame lord lady prof rev gen lt col sen rep gov sgt capt adm maj "
    "president premier chancellor minister secretary ambassador envoy general commander "
    "chief governor mayor senator speaker judge prosecutor king queen prince princess pope "
    "sheikh emir sultan ayatollah lieutenant colonel captain admiral marshal sergeant "
    "spokesman spokeswoman spokesperson representative deputy leader chairman chairwoman "
    "chair director head justice congressman congresswoman pm"
)
# The words of a minister's portfolio: 'Minister of Foreign Affairs', 'Minister of Economic
# Affairs and Communications', 'Secretary for Home Affairs'.
PORTFOLIO_WORDS = words(
    "foreign affairs defence defense interior home internal external finance finances "
    "economy economic economics communications health justice education labour labor trade "
    "industry energy environment agriculture transport transportation culture sport sports "
    "tourism commerce security public social welfare science technology digital "
    "infrastructure housing immigration treasury development regional rural climate "
    "employment family families women youth veterans homeland fisheries forestry mines "
    "mining petroleum water resources natural local information research innovation higher "
    "planning cooperation relations international european legal religious and &"
)
ARTICLES = words("the a an")
# The relations the parse gives a speaker named after the verb: '“...,” write Jo Park'
INVERTED_SUBJECTS = ("dobj", "attr", "npadvmod", "appos", "dative", "oprd")
