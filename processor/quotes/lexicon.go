package quotes

import "strings"

// Word classes. One map lookup per token gives every class a word belongs
// to, so the attribution scans stay cheap.
type class uint32

const (
	cVerb       class = 1 << iota // speech or reporting verb form: said, tells, tweeted
	cSkip                         // auxiliary or adverb allowed between subject and verb
	cPron                         // personal pronoun that can be a speaker
	cTitle                        // title or role word that precedes a name: Rep., President
	cPersonRole                   // head noun of a person description: spokesman, officials
	cOtherRole                    // head noun of an organisation/document speaker: report, agency
	cDet                          // determiner opening a description: the, a, his
	cCapStop                      // capitalised function word that never starts a name: But, In
	cMale                         // male pronoun / title / role
	cFemale                       // female pronoun / title / role
	cPlural                       // plural pronoun / role
	cNPStop                       // word that ends a noun phrase read rightwards
	cConnector                    // lower-case word allowed inside a name: of, de, van
	cMonth                        // day and month names, never speakers
	cPrep                         // preposition: what follows it is no subject
)

// verbBases are regular speech and reporting verbs; their -s, -ed and -ing
// forms are generated. Irregular forms are listed in verbForms.
var verbBases = []string{
	"say", "add", "note", "tweet", "argue", "claim", "insist", "stress", "emphasize", "emphasise",
	"explain", "warn", "call", "describe", "label", "dub", "ask", "reply", "respond", "continue",
	"declare", "announce", "state", "acknowledge", "admit", "concede", "suggest", "predict",
	"promise", "vow", "urge", "recall", "report", "complain", "blast", "slam", "charge", "accuse",
	"joke", "quip", "cite", "praise", "criticize", "criticise", "mock", "denounce", "conclude",
	"observe", "remark", "testify", "confirm", "deny", "maintain", "contend", "assert", "allege",
	"lament", "boast", "tout", "pledge", "believe", "shout", "chant", "yell", "scream", "cry",
	"exclaim", "whisper", "mutter", "murmur", "interject", "counter", "retort", "agree", "disagree",
	"demand", "propose", "recommend", "advise", "caution", "reveal", "disclose", "assure", "reassure",
	"estimate", "reckon", "opine", "proclaim", "affirm", "reiterate", "repeat", "summarize",
	"summarise", "characterize", "characterise", "brand", "deride", "dismiss", "decry", "condemn",
	"apologize", "apologise", "comment", "elaborate", "clarify", "recount", "grumble", "gripe",
	"plead", "implore", "hope", "write", "underscore", "underline", "remind", "chide", "scold",
	"rebuke", "rebut", "term", "nickname", "concur", "brief", "answer", "question", "wonder", "thank",
	"threaten", "swear", "confess", "laugh", "highlight", "mention", "publish", "indicate", "signal",
	"hint", "imply", "speculate", "theorize", "point", "inform", "notify", "reason",
}

// verbForms are irregular speech verb forms.
var verbForms = []string{
	"said", "says", "saying", "say", "told", "tell", "tells", "telling", "wrote", "written", "writes",
	"writing", "spoke", "speaks", "speak", "speaking", "thought", "thinks", "think", "swore", "sworn",
	"found", "finds", "shown", "shows", "showed", "reads", "read", "rate", "rates", "rated", "rating", "sang", "sings", "sing", "singing", "put", "puts", "cried", "cries", "replied", "replies", "denied", "denies", "testified",
	"testifies", "implied", "implies", "clarified", "clarifies", "quipped", "quips", "quipping",
	"dubbed", "dubbing", "slammed", "slamming", "vowed", "tweeted", "retweeted", "posted",
	"lashed", "fired",
}

// auxiliaries and adverbs that may sit between a speaker and the verb.
var skipWords = []string{
	"has", "had", "have", "was", "is", "were", "are", "would", "will", "did", "does", "do", "not",
	"never", "also", "later", "then", "recently", "once", "again", "further", "previously",
	"reportedly", "repeatedly", "just", "already", "still", "even", "often", "frequently",
	"publicly", "privately", "simply", "flatly", "quickly", "earlier", "since", "first", "last",
	"had", "may", "might", "could", "should", "can", "must", "been", "being", "reportedly",
	"allegedly", "apparently", "famously", "once", "finally", "subsequently", "immediately",
	"angrily", "calmly", "bluntly", "tersely", "openly", "separately", "jokingly", "sarcastically",
	"yesterday", "today", "tonight", "now",
}

var pronouns = map[string]class{
	"he": cMale, "she": cFemale, "they": cPlural, "it": 0, "i": 0, "we": cPlural, "who": 0, "you": 0,
}

// titles precede a name and are stripped from the canonical speaker name.
var titles = map[string]class{
	"mr": cMale, "mr.": cMale, "mrs": cFemale, "mrs.": cFemale, "ms": cFemale, "ms.": cFemale,
	"miss": cFemale, "dr": 0, "dr.": 0, "rep": 0, "rep.": 0, "reps.": 0, "sen": 0, "sen.": 0,
	"sens.": 0, "gov": 0, "gov.": 0, "gen": 0, "gen.": 0, "lt.": 0, "col.": 0, "capt.": 0,
	"sgt.": 0, "adm.": 0, "prof": 0, "prof.": 0, "rev": 0, "rev.": 0, "hon.": 0, "del.": 0,
	"president": 0, "vice": 0, "secretary": 0, "senator": 0, "representative": 0, "governor": 0,
	"minister": 0, "prime": 0, "chancellor": 0, "mayor": 0, "judge": 0, "justice": 0,
	"chairman": cMale, "chairwoman": cFemale, "chair": 0, "chief": 0, "director": 0,
	"spokesman": cMale, "spokeswoman": cFemale, "spokesperson": 0, "former": 0, "candidate": 0,
	"nominee": 0, "speaker": 0, "leader": 0, "ambassador": 0, "attorney": 0, "general": 0,
	"commissioner": 0, "sheriff": 0, "officer": 0, "detective": 0, "professor": 0, "coach": 0,
	"captain": 0, "pope": cMale, "king": cMale, "queen": cFemale, "prince": cMale,
	"princess": cFemale, "sir": cMale, "lord": cMale, "lady": cFemale, "father": cMale,
	"sister": cFemale, "brother": cMale, "congressman": cMale, "congresswoman": cFemale,
	"councilman": cMale, "councilwoman": cFemale, "assemblyman": cMale, "assemblywoman": cFemale,
	"activist": 0, "democrat": 0, "republican": 0, "gop": 0, "u.s.": 0, "house": 0, "senate": 0,
	"majority": 0, "minority": 0, "deputy": 0, "acting": 0, "ceo": 0, "president-elect": 0,
	"vice-president": 0, "secretary-general": 0, "first": 0, "elect": 0, "lawmaker": 0,
	"undersecretary": 0, "under-secretary": 0,
}

// personRoles head person descriptions ("the spokesman", "two officials"):
// they resolve to the nearest compatible named person.
var personRoles = map[string]class{
	"spokesman": cMale, "spokeswoman": cFemale, "spokesperson": 0, "minister": 0, "president": 0,
	"senator": 0, "congressman": cMale, "congresswoman": cFemale, "governor": 0, "mayor": 0,
	"candidate": 0, "nominee": 0, "leader": 0, "chairman": cMale, "chairwoman": cFemale,
	"director": 0, "secretary": 0, "ambassador": 0, "lawyer": 0, "attorney": 0, "aide": 0,
	"adviser": 0, "advisor": 0, "analyst": 0, "expert": 0, "economist": 0, "critic": 0,
	"supporter": 0, "official": 0, "officer": 0, "representative": 0, "lawmaker": 0,
	"legislator": 0, "activist": 0, "protester": 0, "insider": 0, "executive": 0, "chief": 0,
	"ceo": 0, "founder": 0, "owner": 0, "manager": 0, "coach": 0, "player": 0, "judge": 0,
	"prosecutor": 0, "investigator": 0, "researcher": 0, "scientist": 0, "doctor": 0,
	"professor": 0, "author": 0, "writer": 0, "reporter": 0, "journalist": 0, "columnist": 0,
	"editor": 0, "host": 0, "anchor": 0, "moderator": 0, "commentator": 0, "strategist": 0,
	"pollster": 0, "operative": 0, "staffer": 0, "employee": 0, "worker": 0, "member": 0,
	"man": cMale, "woman": cFemale, "person": 0, "friend": 0, "wife": cFemale, "husband": cMale,
	"mother": cFemale, "father": cMale, "son": cMale, "daughter": cFemale, "brother": cMale,
	"sister": cFemale, "victim": 0, "survivor": 0, "student": 0, "teacher": 0, "parent": 0,
	"resident": 0, "witness": 0, "voter": 0, "source": 0, "democrat": 0, "republican": 0,
	"sheriff": 0, "detective": 0, "chancellor": 0, "premier": 0, "king": cMale, "queen": cFemale,
	"prince": cMale, "princess": cFemale, "pope": cMale, "billionaire": 0, "businessman": cMale,
	"businesswoman": cFemale, "veteran": 0, "senior": 0, "surrogate": 0, "campaigner": 0,
	"organizer": 0, "organiser": 0, "negotiator": 0, "diplomat": 0, "envoy": 0, "general": 0,
	"commander": 0, "soldier": 0, "nurse": 0, "physician": 0, "scholar": 0, "historian": 0,
	"lecturer": 0, "partner": 0, "colleague": 0, "neighbor": 0, "neighbour": 0, "fan": 0,
	"delegate": 0, "mp": 0, "councillor": 0, "councilor": 0, "councilman": cMale,
	"councilwoman": cFemale, "trustee": 0, "regulator": 0, "auditor": 0, "inspector": 0,
	"consultant": 0, "counsel": 0, "agent": 0, "broker": 0, "trader": 0, "investor": 0,
	"banker": 0, "chairperson": 0, "president-elect": 0, "secretary-general": 0, "speaker": 0,
	"maker": 0, "creator": 0, "designer": 0, "artist": 0, "builder": 0, "engineer": 0,
	"developer": 0, "producer": 0, "musician": 0, "singer": 0, "actor": cMale, "actress": cFemale,
	"athlete": 0, "pilot": 0, "driver": 0, "passenger": 0, "patient": 0, "citizen": 0,
	"publisher": 0, "farmer": 0, "chef": 0, "priest": cMale, "bishop": cMale, "cardinal": cMale,
	"nun": cFemale, "grandmother": cFemale, "grandfather": cMale, "uncle": cMale, "aunt": cFemale,
	"girl": cFemale, "boy": cMale, "child": 0, "teenager": 0, "rescuer": 0, "firefighter": 0,
	"paramedic": 0, "survivors": cPlural, "eyewitness": 0, "bystander": 0, "onlooker": 0,
	"narrator": 0, "announcer": 0, "head": 0,
}

// pluralRoles are plural person descriptions that need no determiner
// ("officials said", "critics say").
var pluralRoles = []string{
	"officials", "sources", "analysts", "experts", "economists", "critics", "supporters", "aides",
	"advisers", "advisors", "lawmakers", "legislators", "activists", "protesters", "protestors",
	"insiders", "executives", "prosecutors", "investigators", "researchers", "scientists",
	"doctors", "witnesses", "residents", "voters", "democrats", "republicans", "police",
	"authorities", "organizers", "organisers", "officers", "employees", "workers", "members",
	"students", "teachers", "parents", "victims", "survivors", "people", "observers",
	"historians", "scholars", "diplomats", "negotiators", "reporters", "journalists", "leaders",
	"spokesmen", "representatives", "senators", "governors", "mayors", "ministers", "candidates",
	"strategists", "pollsters", "staffers", "neighbors", "neighbours", "fans", "families",
	"relatives", "friends", "colleagues", "delegates", "investors", "traders", "bankers",
	"regulators", "judges", "lawyers", "attorneys", "officers", "troops", "soldiers",
	"conservatives", "liberals", "progressives", "commentators", "campaigners", "respondents",
	"participants", "americans", "readers", "viewers", "users", "customers", "consumers",
	"manufacturers", "retailers", "companies", "groups", "unions",
}

// otherRoles are organisation and document heads: "the report said", "the
// company says". They are speakers but not people.
var otherRoles = []string{
	"administration", "government", "agency", "department", "ministry", "company", "firm",
	"group", "organization", "organisation", "committee", "court", "council", "board", "party",
	"campaign", "team", "report", "study", "survey", "poll", "polls", "statement", "letter",
	"memo", "document", "documents", "filing", "complaint", "lawsuit", "suit", "ruling",
	"website", "site", "article", "editorial", "paper", "newspaper", "network", "release",
	"post", "tweet", "ad", "advertisement", "video", "book", "bill", "platform", "percent",
	"union", "coalition", "alliance", "office", "bureau", "commission", "panel", "agency",
	"institute", "foundation", "center", "centre", "association", "federation", "league",
	"club", "bank", "fund", "police", "military", "army", "navy", "ministry", "embassy",
	"spokesperson's", "indictment", "verdict", "analysis", "review", "investigation", "audit",
	"assessment", "findings", "data", "figures", "research", "researchers", "paper", "blog",
	"magazine", "outlet", "station", "channel", "show", "program", "programme", "broadcast",
	"message", "email", "e-mail", "note", "notice", "announcement", "proclamation", "order",
	"decision", "opinion", "guidance", "guidelines", "rules", "law", "constitution",
	"resolution", "declaration", "agreement", "treaty", "plan", "proposal", "budget",
	"projection", "forecast", "estimate", "estimates", "index", "tracker", "chart", "map",
	"caption", "headline", "page", "account", "feed", "transcript", "recording", "tape",
	"footage", "clip", "interview", "speech", "remarks", "testimony", "affidavit", "motion",
	"brief", "petition", "appeal", "policy", "manifesto", "charter", "doctrine", "strategy",
	"warning", "warnings", "alert", "advisory", "summary", "judgment", "judgement", "bulletin",
	"communique", "communiqué",
}

var determiners = []string{
	"the", "a", "an", "his", "her", "their", "its", "this", "these", "those", "another",
	"one", "two", "three", "four", "five", "several", "many", "some", "our", "my", "your",
	"other", "both", "all", "most", "few", "each", "every", "no", "any", "such",
}

// capStops are words that are capitalised at a sentence start but never
// begin a speaker's name.
var capStops = []string{
	"but", "and", "or", "so", "yet", "in", "on", "at", "for", "with", "after", "before", "when",
	"while", "if", "although", "though", "then", "now", "still", "also", "as", "meanwhile",
	"however", "later", "this", "that", "these", "those", "it", "he", "she", "we", "they", "i",
	"speaking", "earlier", "last", "asked", "because", "since", "during", "from", "to", "by",
	"about", "over", "under", "instead", "indeed", "moreover", "furthermore", "nevertheless",
	"still", "yes", "no", "well", "oh", "here", "there", "what", "why", "how", "who", "where",
	"which", "whether", "not", "even", "only", "just", "both", "either", "neither", "once",
	"unlike", "like", "despite", "according", "following", "citing", "responding", "writing",
	"read", "watch", "see", "click", "follow", "update", "updated", "related", "photo", "image",
	"video", "source", "sources", "editor's", "note", "by", "via", "a", "an", "his", "her",
	"their", "its", "our", "my", "your", "among", "until", "unless", "whereas", "thus",
	"therefore", "besides", "again", "today", "yesterday", "tonight", "tomorrow",
}

var months = []string{
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
	"february", "march", "april", "may", "june", "july", "august", "september", "october",
	"november", "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.",
	"sept.", "oct.", "nov.", "dec.",
}

// npStops end a noun phrase read to the right of a verb ("said the
// minister in a statement").
var npStops = []string{
	"in", "on", "at", "during", "after", "before", "to", "from", "by", "for", "with", "who",
	"which", "that", "when", "while", "as", "and", "but", "or", "about", "of", "over", "into",
	"because", "since", "than", "last", "this", "on", "told", "said", "says", "added", "is",
	"was", "were", "are", "has", "had", "have", "would", "will",
}

var prepositions = []string{
	"in", "on", "at", "during", "after", "before", "to", "from", "by", "for", "with", "of", "over",
	"into", "through", "across", "around", "near", "behind", "under", "without", "between",
	"against", "toward", "towards", "among", "via", "per", "like", "upon", "within", "throughout",
	"about", "beyond", "despite", "onto", "amid", "unlike", "along", "alongside", "beside",
	"outside", "inside", "above", "below", "beneath", "except", "regarding", "concerning",
}

var connectors = []string{"of", "de", "van", "von", "der", "den", "la", "le", "du", "bin", "al", "da", "di", "del", "dos", "&"}

// buildLexicon merges the word lists into one class map.
func buildLexicon() map[string]class {
	m := make(map[string]class, 4096)
	add := func(w string, c class) { m[w] |= c }
	for _, b := range verbBases {
		for _, f := range inflect(b) {
			add(f, cVerb)
		}
	}
	for _, f := range verbForms {
		add(f, cVerb)
	}
	for _, w := range skipWords {
		add(w, cSkip)
	}
	for w, g := range pronouns {
		add(w, cPron|g)
	}
	for w, g := range titles {
		add(w, cTitle|g)
	}
	for w, g := range personRoles {
		add(w, cPersonRole|g)
	}
	for _, w := range pluralRoles {
		add(w, cPersonRole|cPlural)
	}
	for _, w := range otherRoles {
		add(w, cOtherRole)
	}
	for _, w := range determiners {
		add(w, cDet)
	}
	for _, w := range capStops {
		add(w, cCapStop)
	}
	for _, w := range months {
		add(w, cMonth|cCapStop)
	}
	for _, w := range npStops {
		add(w, cNPStop)
	}
	for _, w := range prepositions {
		add(w, cPrep)
	}
	for _, w := range connectors {
		add(w, cConnector)
	}
	// Words that are far more often nouns or adjectives than speech verbs
	// in the positions we look at.
	for _, w := range []string{"post", "posts", "report", "reports", "show", "shows", "order", "back", "list", "term", "text", "project", "question", "comment", "comments", "answer", "message", "brief", "support", "request", "offer", "order", "plan", "state", "states", "fund", "figure", "figures", "detail", "details", "notice", "point", "points", "rule", "rules", "record", "charge", "charges", "claim", "claims", "call", "calls"} {
		if m[w]&cVerb != 0 && !strings.HasSuffix(w, "ed") {
			m[w] |= cOtherRole
		}
	}
	return m
}

// inflect returns the base, -s, -ed and -ing forms of a regular verb.
func inflect(b string) []string {
	out := []string{b}
	last := b[len(b)-1]
	switch {
	case strings.HasSuffix(b, "y") && !isVowel(b[len(b)-2]):
		stem := b[:len(b)-1]
		out = append(out, stem+"ies", stem+"ied", b+"ing")
	case last == 'e':
		out = append(out, b+"s", b+"d", b[:len(b)-1]+"ing")
	case strings.HasSuffix(b, "s") || strings.HasSuffix(b, "sh") || strings.HasSuffix(b, "ch") || strings.HasSuffix(b, "x"):
		out = append(out, b+"es", b+"ed", b+"ing")
	case len(b) <= 4 && !isVowel(last) && isVowel(b[len(b)-2]) && !isVowel(b[len(b)-3]) && last != 'w' && last != 'y':
		// short consonant-vowel-consonant verbs double: dub -> dubbed
		out = append(out, b+"s", b+string(last)+"ed", b+string(last)+"ing", b+"ed")
	default:
		out = append(out, b+"s", b+"ed", b+"ing")
	}
	return out
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}
