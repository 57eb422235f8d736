"""The English word lists the attribution rules read (annotator/suggest/attribution.py).

Lower-case words; a rule compares ``word.casefold()``. Other languages have no lists yet: their
articles get the caption rules, the learned string matches and the learned span model only.
"""

from __future__ import annotations

# Verbs that attribute a statement to its subject: "police said", "the report found".
CUE_VERBS = frozenset(
    """say says said saying tell tells told write writes wrote written report reports reported
    announce announces announced add adds added state states stated claim claims claimed confirm
    confirms confirmed deny denies denied warn warns warned believe believes believed describe
    describes described note notes noted explain explains explained insist insists insisted argue
    argues argued estimate estimates estimated predict predicts predicted allege alleges alleged
    find finds found reveal reveals revealed show shows showed acknowledge acknowledges
    acknowledged admit admits admitted testify testifies testified tweet tweets tweeted post posts
    posted assert asserts asserted stress stresses stressed suggest suggests suggested conclude
    concludes concluded indicate indicates indicated contend contends contended maintain maintains
    maintained observe observes observed comment comments commented reason reasons reasoned
    quoting""".split()
)
# Cue words that are also nouns: "Recent reports have revealed", "Estimates suggest".
NOUN_CUES = frozenset("report reports estimate estimates claim claims post posts tweet tweets finds note notes".split())
# Lower-case words after a name that only say what it is: "Yonhap news agency" is "Yonhap".
NAME_DESCRIPTORS = frozenset("news agency newspaper broadcaster television magazine daily website".split())
# Cues that take no content after them ("said" at the end of a sentence is the other case).
REPORTING_NOUNS = frozenset("statement interview release conference briefing post tweet letter email".split())

# Words skipped between a subject and its cue: "Blinken has previously described".
BETWEEN_SUBJECT_AND_CUE = frozenset(
    """has have had is was were are also previously later earlier then further again publicly
    repeatedly recently separately would will could may might still once initially originally first
    both already has since yesterday today reportedly""".split()
)

PRONOUNS = frozenset(
    "he she it they we i you him her them us me this that these those who which one someone".split()
)
DETERMINERS = frozenset(
    """a an the two three four five six several some many other another one its their his her our
    this that these those both each any more most""".split()
)
SENTENCE_ADVERBS = frozenset(
    """but and or however meanwhile also earlier later still yet so then now instead separately
    in on at by for as while when after before although though if since because""".split()
)

# Nouns and modifiers of an unnamed source: "a senior US official", "North Korean state media".
ROLE_WORDS = frozenset(
    """police officials official spokesperson spokesman spokeswoman spokespeople minister ministry
    ministers media state intelligence service services agency agencies researchers researcher
    scientists scientist experts expert authorities analysts analyst sources source witnesses
    witness residents resident report reports study studies survey statement court prosecutors
    prosecutor investigators investigator doctors doctor lawyers lawyer attorney attorneys
    department government officers officer military army navy senior federal local regional
    national news lawmakers lawmaker diplomats diplomat person people team organisers organizers
    company firm group party council committee commission board union club representative
    representatives chief head director executive executives president judge judges health fire
    emergency rescue security defence defense foreign interior justice campaign election hospital
    university spy medical local provincial city county regional officials organisation
    organization opposition observers monitors monitor activists activist campaigners eyewitnesses
    relatives family neighbours neighbors students teachers workers staff employees engineers
    economists economist historians historian archaeologists astronomers biologists physicians
    filing indictment memo document documents data figures census poll polls statistics
    paper article translation release press broadcaster broadcasters newspaper newspapers outlet
    television tv radio results findings authors author posting post posts poster posters blog website
    site individuals users user commenters bloggers blogger editor editors woman women man men boy
    girl mother father parents student teacher""".split()
)
DOCUMENT_WORDS = frozenset(
    """report reports study studies survey statement filing indictment memo document documents data
    figures census poll polls statistics paper article translation release assessment review
    investigation analysis findings ruling judgment judgement complaint lawsuit results posting post
    posts blog estimates""".split()
)
ANONYMOUS_WORDS = frozenset("sources source insider insiders diplomat diplomats familiar anonymity".split())
OFFICIAL_WORDS = frozenset(
    """police ministry minister government court prosecutors prosecutor department officials
    official military army navy president lawmaker lawmakers intelligence authorities council
    senator governor mayor judge commission agency kremlin parliament congress senate cabinet
    embassy spokesman spokeswoman spokesperson service secretary leader premier chancellor
    prime""".split()
)
ORGANISATION_WORDS = frozenset(
    """company corporation corp inc ltd university institute association organisation organization
    union party foundation group council committee bank club society federation alliance charity
    nations""".split()
)
# Titles and roles before a name stay outside a named source: "U.S. Secretary of State Antony Blinken".
TITLES = frozenset(
    """president secretary minister prime chancellor senator sen. rep. representative governor gov.
    mayor leader lawmaker spokesman spokeswoman spokesperson chief director general gen. dr. dr mr.
    mr mrs. mrs ms. ms professor prof. prof judge justice king queen prince princess pope ambassador
    ceo chairman chairwoman chair commissioner inspector detective sergeant officer captain colonel
    lieutenant admiral superintendent constable coach manager analyst researcher scientist expert
    author economist deputy vice sheriff premier founder head executive attorney lawyer doctor
    spokesperson activist candidate member mp envoy adviser advisor undersecretary curator
    treasurer""".split()
)
DEPARTMENT_WORDS = frozenset(
    """state defense defence justice health foreign affairs finance interior education transport
    transportation energy commerce labor labour agriculture homeland security treasury the and
    staff police""".split()
)
OUTLET_HEADS = frozenset(
    """herald times post guardian independent telegraph economist journal globe sun mirror observer
    atlantic hill hindu age star nation tribune gazette chronicle news review express daily
    standard mail watch""".split()
)
OUTLETS = frozenset(
    """reuters ap afp bbc cnn nbc cbs abc npr pbs bloomberg axios politico yonhap kyodo dpa efe ansa
    upi aljazeera""".split()
) | frozenset(
    {"associated press", "agence france-presse", "al jazeera", "fox news", "sky news", "the new york times",
     "new york times", "the washington post", "washington post", "the wall street journal", "wall street journal",
     "the guardian", "the korea herald", "korea herald", "the times", "financial times", "the financial times",
     "kcna watch", "nk news", "voice of america", "deutsche welle", "the hill", "usa today", "los angeles times"}
)
STATE_MEDIA = frozenset(
    """kcna tass xinhua cctv ria rt sputnik irna""".split()
) | frozenset(
    {"korean central news agency", "ria novosti", "press tv", "state media", "state television", "state tv",
     "state news agency", "state broadcaster", "state-run media", "global times", "rodong sinmun"}
)
# A quoted wish, feeling or promise is no claim: "says he wants to strengthen ties".
NOT_CHECKABLE_HEADS = frozenset(
    """want wants wanted hope hopes hoped wish wishes wished thank thanks thanked
    welcome welcomes welcomed like likes love loves plan plans intend intends urge urges urged call
    calls ask asks asked appeal appeals demand demands encourage encourages""".split()
)
MONTHS = frozenset(
    """january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec""".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday yesterday today".split())
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve dozen dozens hundred hundreds
    thousand thousands million millions billion billions trillion half third quarter percent per
    cent""".split()
)
PREDICTION_WORDS = frozenset("will would expected forecast forecasts predicted likely plans scheduled".split())
COMPARATIVES = frozenset(
    """more less fewer most least largest biggest highest lowest first last record than increase
    increased decrease decreased rose fell risen fallen doubled tripled""".split()
)
