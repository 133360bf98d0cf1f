package quotes

import (
	"github.com/newsenrich/newsenrich/internal/golden"
	"github.com/newsenrich/newsenrich/internal/samples"

	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsenrich/newsenrich/event"
	"github.com/newsenrich/newsenrich/processor/text"
)

// shared extractor: building the lexicons once keeps the tests fast
var testX = New(Config{})

type wantQuote struct {
	text    string // substring the quote text must contain
	mention string // speaker mention text ("" = no speaker expected)
	name    string // resolved speaker name
	cue     string
}

func TestPatterns(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []wantQuote
	}{
		{"X said", "“We will win the vote,” Smith said on Monday.",
			[]wantQuote{{"We will win", "Smith", "Smith", "said"}}},
		{"said X with title", "“We will win the vote,” said Rep. John Smith of Ohio.",
			[]wantQuote{{"We will win", "Rep. John Smith", "John Smith", "said"}}},
		{"X says present tense", "Mary Jones is here. “Prices are going up,” Jones says.",
			[]wantQuote{{"Prices", "Jones", "Mary Jones", "says"}}},
		{"according to X", "“Prices will rise again next year,” according to Jane Doe.",
			[]wantQuote{{"Prices", "Jane Doe", "Jane Doe", "according to"}}},
		{"X told Y after", "“We are ready for this,” Smith told reporters.",
			[]wantQuote{{"ready", "Smith", "Smith", "told"}}},
		{"X told Y that embedded", "Smith told reporters that “we are ready for this fight.”",
			[]wantQuote{{"ready", "Smith", "Smith", "told"}}},
		{"X added with pronoun", "Anna Berg spoke first. “And there is more to come,” she added.",
			[]wantQuote{{"more to come", "she", "Anna Berg", "added"}}},
		{"colon", "Smith: “We are ready to go home now.”",
			[]wantQuote{{"ready", "Smith", "Smith", ":"}}},
		{"said colon", "The minister John Smith said: “We are ready to go home now.”",
			[]wantQuote{{"ready", "John Smith", "John Smith", "said"}}},
		{"continuation paragraph", "“The plan is working well,” Smith said.\n\n“We will keep going until it is finished.”",
			[]wantQuote{{"plan", "Smith", "Smith", "said"}, {"keep going", "Smith", "Smith", ""}}},
		{"pronoun gender", "Mary Jones met John Smith in Paris. “We talked for an hour,” he said. “It went well for us,” she said.",
			[]wantQuote{{"talked", "he", "John Smith", "said"}, {"went well", "she", "Mary Jones", "said"}}},
		{"person description", "John Smith runs the ministry. “The budget is balanced now,” the spokesman said.",
			[]wantQuote{{"budget", "the spokesman", "John Smith", "said"}}},
		{"document speaker", "“Growth slowed in the third quarter,” the report said.",
			[]wantQuote{{"Growth", "the report", "the report", "said"}}},
		{"organisation reports", "The New York Post reports that her team tried to “keep the details of her treatment under wraps.”",
			[]wantQuote{{"keep the details", "The New York Post", "The New York Post", "reports"}}},
		{"split by attribution", "“The first part is here,” she said, “and the second part is there.”",
			[]wantQuote{{"first part", "she", "she", "said"}, {"second part", "she", "she", "said"}}},
		{"multi-paragraph", "Intro line.\n\n“The first paragraph of the quote goes on.\n\n“The second paragraph ends here,” Smith said.",
			[]wantQuote{{"first paragraph", "Smith", "Smith", "said"}}},
		{"nested single quotes", "“He told me ‘no way’ yesterday and left,” Smith said.",
			[]wantQuote{{"‘no way’ yesterday", "Smith", "Smith", "said"}}},
		{"apostrophes are not quotes", "Smith’s team said the allies’ plan works. “It works fine for us,” Smith said.",
			[]wantQuote{{"works fine", "Smith", "Smith", "said"}}},
		{"straight quotes", `"We will win the vote," Smith said. He added, "It is close."`,
			[]wantQuote{{"We will win", "Smith", "Smith", "said"}, {"It is close", "He", "Smith", "added"}}},
		{"mixed marks", `“We will win the vote," Smith said.`,
			[]wantQuote{{"We will win", "Smith", "Smith", "said"}}},
		{"scare quote with cue", "Trump called the report “fake news” on Friday.",
			[]wantQuote{{"fake news", "Trump", "Trump", "called"}}},
		{"outermost speaker", "Jane Doe said the rival was “absolutely wrong” when he said it.",
			[]wantQuote{{"absolutely wrong", "Jane Doe", "Jane Doe", "said"}}},
		{"appositive", "“We are not afraid of them,” Rutte, the former Dutch prime minister, said.",
			[]wantQuote{{"afraid", "Rutte", "Rutte", "said"}}},
		{"epigraph dash", "“Maybe we can build a wall around him.” ― Steve Quinlan\n",
			[]wantQuote{{"build a wall", "Steve Quinlan", "Steve Quinlan", ""}}},
		{"naming labels", "Trump called the pageant winner “Miss Piggy” and “Miss Housekeeping” in 1996.",
			[]wantQuote{{"Miss Piggy", "Trump", "Trump", "called"}, {"Miss Housekeeping", "Trump", "Trump", "called"}}},
		{"relative pronoun", "The police department, which reported “2,521 shooting incidents” this year, is under pressure.",
			[]wantQuote{{"2,521", "which", "The police department", "reported"}}},
		{"possessor of a speech noun", "The site checked Donald Trump’s claim that there were “thousands of shootings” in the city.",
			[]wantQuote{{"thousands", "Donald Trump", "Donald Trump", "claim"}}},
		{"role premodifier", "“Rates will stay low for years,” Stanford University economist Jane Roe said.",
			[]wantQuote{{"Rates", "Jane Roe", "Jane Roe", "said"}}},
		{"title complement", "“The airline carries weapons across the region,” according to a tweet by US Secretary of State Mike Pompeo.",
			[]wantQuote{{"airline", "Mike Pompeo", "Mike Pompeo", "according to"}}},
		{"person in apposition", "The director of Amnesty International, Maria Belski, said the president had “heard the demands of women.”",
			[]wantQuote{{"heard", "Maria Belski", "Maria Belski", "said"}}},
		{"person of organisation", "Peter Iseley of victim group Ending Clergy Abuse said, “The church should establish the law.”",
			[]wantQuote{{"church", "Peter Iseley", "Peter Iseley", "said"}}},
		{"role words after verb", "“The statues are part of daily life,” said study co-author Professor Carl Lipo of Binghamton University.",
			[]wantQuote{{"statues", "Professor Carl Lipo", "Carl Lipo", "said"}}},
		{"quoted as saying", "Politico quoted Tim Manning, a former FEMA official, as saying “FEMA has an important role here.”",
			[]wantQuote{{"FEMA has", "Tim Manning", "Tim Manning", "saying"}}},
		{"participle takes clause subject", "Trump issued a statement outside Washington, D.C. saying, “The simple fact is this election is far from over.”",
			[]wantQuote{{"simple fact", "Trump", "Trump", "saying"}}},
		{"description kept", "Rescue teams worked all night. “I could not find my son anywhere,” the mother said.",
			[]wantQuote{{"my son", "the mother", "the mother", "said"}}},
		{"pronoun after a change of subject", "Tom Baker met the press on Monday.\n\nJohn Clark attacked Paul Davis in the debate. “He is wrong on every count,” he said.",
			[]wantQuote{{"wrong", "he", "John Clark", "said"}}},
		{"colon after a clause", "Jane Roe spoke to the crowd.\n\nIn his message, John Doe praised the volunteers: “You kept this city alive.”",
			[]wantQuote{{"city alive", "John Doe", "John Doe", "praised"}}},
		{"new sentence after a quote has its own verb", "Jane Roe said at a press conference: “The officers were threatened.” Amnesty International has called for an investigation.",
			[]wantQuote{{"threatened", "Jane Roe", "Jane Roe", "said"}}},
		{"subordinate clause after a quote", "She said she speaks about race because “you talk about the issues in front of you,” though she noted she also works on other cases.",
			[]wantQuote{{"issues", "She", "She", "said"}}},
		{"according to its", "According to its press release, the league was “suspending game play until further notice.”",
			[]wantQuote{{"suspending", "the league", "the league", "according to"}}},
		{"verb-first sentence", "Remarked Center for Biological Diversity scientist Tierra Curry, “This reprieve is a thank-you from the butterflies.”",
			[]wantQuote{{"reprieve", "Tierra Curry", "Tierra Curry", "remarked"}}},
		{"passive agent", `Gutierrez was described by the CBCP as "a strong advocate for the environment in the province."`,
			[]wantQuote{{"strong advocate", "the CBCP", "the CBCP", "described"}}},
		{"epigraph with a zero-width joiner", "Intro.\n\n\"More women are getting into technical fields now.\" — \u200dAparna Garg, Railway Manager\n\nNext.",
			[]wantQuote{{"technical fields", "Aparna Garg", "Aparna Garg", ""}}},
		{"an acting it", `NASA paused its broadcast. It also credited Leonov with the first spacewalk, noting on Twitter "his venture began the history of extravehicular activity".`,
			[]wantQuote{{"venture", "It", "It", "noting"}}},
		{"organisation and role before the name, cue first", `"You have to work every weekend," quipped Acme Comics editor Helen Marsh.`,
			[]wantQuote{{"work every", "Helen Marsh", "Helen Marsh", "quipped"}}},
		{"organisation and role before the name, colon", `Former CIA deputy director Michael Stone praised him on Twitter: "He was one of the best officers."`,
			[]wantQuote{{"best officers", "Michael Stone", "Michael Stone", "praised"}}},
		{"person of an organisation", `Lucy Hart of The Daily Record told the radio station, "He had been released a year ago."`,
			[]wantQuote{{"released", "Lucy Hart", "Lucy Hart", "told"}}},
		{"a title's complement is no organisation", `"The country grieves the loss of a statesman," Prime Minister of India Narendra Modi said.`,
			[]wantQuote{{"grieves", "Narendra Modi", "Narendra Modi", "said"}}},
		{"name particle", `Mayor de Witt spoke on the morning show: "I have given all I can to this race."`,
			[]wantQuote{{"given all", "Mayor de Witt", "de Witt", "spoke"}}},
		{"an indefinite description is nobody named nearby", `John Reed chairs the panel. "The budget is a fiction," another critic said.`,
			[]wantQuote{{"fiction", "another critic", "another critic", "said"}}},
		{"an indefinite description with its name", `Jane Roe left early. "She is only doing this to split us," said a protester using the pseudonym Kat.`,
			[]wantQuote{{"split us", "a protester", "Kat", "said"}}},
		{"one of a group", `John Reed wrote the rules. One of the users said "this is why we keep copies of everything".`,
			[]wantQuote{{"keep copies", "One of the users", "One of the users", "said"}}},
		{"a number of", `A number of Senators condemned the order, citing it as a "grave abuse of power".`,
			[]wantQuote{{"grave abuse", "A number of Senators", "A number of Senators", "condemned"}}},
		{"according to before the one who said it", `According to the news agency ISNA, the prosecutor Ali Mehr said the men must face "murder and terrorism charges" soon.`,
			[]wantQuote{{"murder", "Ali Mehr", "Ali Mehr", "said"}}},
		{"according to opens a colon sentence", `According to U.S. Attorney John Bash, the note could strengthen the case: "The key factor here is intent."`,
			[]wantQuote{{"key factor", "U.S. Attorney John Bash", "John Bash", "according to"}}},
		{"according to him", `Yahya Sarea spoke on television. According to him, it was done with the help of "honourable people inside the kingdom".`,
			[]wantQuote{{"honourable", "him", "Yahya Sarea", "according to"}}},
		{"apposition after a possessive", `"We are proud of our students," said the university's chancellor, Pradeep Rao, on Monday.`,
			[]wantQuote{{"proud", "the university's chancellor", "Pradeep Rao", "said"}}},
		{"apposition after a possessive, subject", `The university's chancellor, Pradeep Rao, said "we are proud of our students".`,
			[]wantQuote{{"proud", "Pradeep Rao", "Pradeep Rao", "said"}}},
		{"a relative named in apposition", `Karim Selim drowned in 2015. "This day is very hard for me," said his father, Omar Selim, after the ceremony.`,
			[]wantQuote{{"very hard", "his father", "Omar Selim", "said"}}},
		{"a possessor's person", `"The vote is lost," said the council's leader, who asked not to be named.`,
			[]wantQuote{{"vote is lost", "the council's leader", "the council's leader", "said"}}},
		{"the sentence before reports the speaker", `Jane Roe broke the news when she revealed that a sequel is planned. "We are talking to the studio right now about it."`,
			[]wantQuote{{"talking to the studio", "she", "Jane Roe", "revealed"}}},
		{"the sentence before beats an earlier quote's speaker", `"We will appeal," said Anna Berg. Tom Hale, a former adviser, also criticised the ruling on Twitter. "The court has misread the law of the land."`,
			[]wantQuote{{"appeal", "Anna Berg", "Anna Berg", "said"}, {"misread", "Tom Hale", "Tom Hale", "criticised"}}},
		{"a negated verb reports no speech", `"The goal is stability," Obama said after meeting Putin. He didn't suggest retaliation. "The other factor is timing, as always."`,
			[]wantQuote{{"stability", "Obama", "Obama", "said"}, {"timing", "Obama", "Obama", ""}}},
		{"who released the statement", `The commission released a statement which said, "The building must remain a museum."`,
			[]wantQuote{{"museum", "The commission", "The commission", "said"}}},
		{"a statement released by", `According to a statement released by the ministry's press office, "the operation is over for now" and troops will return.`,
			[]wantQuote{{"operation is over", "the ministry", "the ministry", "according to"}}},
		{"a time before the subject", `This Wednesday Foreign Minister Jan Novak stressed the need for approval, saying "It belongs to humanity and to all of us."`,
			[]wantQuote{{"humanity", "Minister Jan Novak", "Jan Novak", "saying"}}},
		{"an acronym the article spells out", `The Free Workers Union (FWU) met on Monday. The FWU said "the strike goes on until Friday."`,
			[]wantQuote{{"strike goes on", "FWU", "Free Workers Union", "said"}}},
		{"according to after the speaker's own verb", `Smith called the plan a "reckless gamble with public money," according to the Daily Post.`,
			[]wantQuote{{"reckless gamble", "Smith", "Smith", "called"}}},
		{"a capitalised role then the name", `The Vice President, Anna Berg, said on Friday the country is "in the middle of a crisis at the border."`,
			[]wantQuote{{"crisis", "Anna Berg", "Anna Berg", "said"}}},
		{"part of a group", `Some of the protesters said they had come to "defend the right to work in Europe" this week.`,
			[]wantQuote{{"defend the right", "Some of the protesters", "Some of the protesters", "said"}}},
		{"a relative clause without who", `Some of the voters Reuters interviewed said they wanted "a government that listens to us."`,
			[]wantQuote{{"listens", "Some of the voters", "Some of the voters", "said"}}},
		{"an opening prepositional phrase", `Regarding Smith's phone call, former prosecutor Jane Roe said via Twitter: "I would be surprised to see this in any case."`,
			[]wantQuote{{"surprised", "Jane Roe", "Jane Roe", "said"}}},
		{"a possessor's description then the name", `"Numb and broken," writes Smith's longtime tag team partner Erik Rowe on Instagram.`,
			[]wantQuote{{"Numb", "Erik Rowe", "Erik Rowe", "writes"}}},
		{"a modifier before the role", `Democratic presidential nominee Jane Roe chimed in on Twitter, saying that officials should release the videos "without delay."`,
			[]wantQuote{{"without delay", "nominee Jane Roe", "Jane Roe", "saying"}}},
		{"a pronoun skips a person in an of-phrase", `Emma Cole was a guest actor on the show. Faced with losing the character of Anya Jenks, the producers made her a regular. "It was a good day," she recalls.`,
			[]wantQuote{{"good day", "she", "Emma Cole", "recalls"}}},
		{"an of-phrase person alone in the paragraph before", "Trump says he is making \"a demand\" of Obama.\n\n\"Mr. President, will you pledge not to issue a pardon?\" he asks.",
			[]wantQuote{{"a demand", "Trump", "Trump", "says"}, {"pledge", "he", "Trump", "asks"}}},
		{"a document that reads", `Forecasters spoke. "Storm Lora will produce high waves and sizeable storm surges", read the warning.`,
			[]wantQuote{{"Storm Lora", "the warning", "the warning", "read"}}},
		{"an attribution that splits a quote at a semicolon", `A spokesperson spoke. "No troops were injured. Coalition forces are here to help;" read the statement; "we will not be deterred by these attacks."`,
			[]wantQuote{{"No troops", "the statement", "the statement", "read"}, {"deterred", "the statement", "the statement", ""}}},
		{"who after an apposition", `The research was led by Mark Dale, a marine ecologist at the institute, who said "There is a lot of argument now about local management."`,
			[]wantQuote{{"argument", "who", "Mark Dale", "said"}}},
		{"role words before the name in an apposition", `The study's lead author, doctoral candidate Maninder Rao, said, "We looked at emissions from power plants across the country."`,
			[]wantQuote{{"emissions", "Maninder Rao", "Maninder Rao", "said"}}},
		{"according to a document after the speaker's clause", `Jan Berg, the president of the court, decided, according to the summary, "that the advice was unlawful and void."`,
			[]wantQuote{{"unlawful", "Jan Berg", "Jan Berg", "according to"}}},
		{"a name right after its role noun", `Offering his condolence, speaker of the parliament Ali Karimi wrote on Instagram: "His whole life served the people of the city."`,
			[]wantQuote{{"whole life", "Ali Karimi", "Ali Karimi", "wrote"}}},
		{"a role's complement before the apposition", `The mayor of Leeds, Sadiq Rahman, gave his condolences via Twitter, adding, "An urgent enquiry is underway."`,
			[]wantQuote{{"enquiry", "The mayor", "Sadiq Rahman", "adding"}}},
		{"a coordinated clause has its own speaker", `The Tongs indicated issues staffing the hotel, and Mr Tong had said they intended to "restore the hall to its former glory."`,
			[]wantQuote{{"restore the hall", "Mr Tong", "Tong", "said"}}},
		{"a run of titles is no person", `One of the country's Vice Presidents, Anna Berg, also commented on his death. She said "He was very honest and hardworking."`,
			[]wantQuote{{"honest", "She", "Anna Berg", "said"}}},
		{"part of a document", `Part of the judge's statement reads "the average woman could be better suited for some combat positions."`,
			[]wantQuote{{"average woman", "the judge's statement", "the judge's statement", "reads"}}},
		{"an opening participle is an adjunct", `Writing for the Court, Justice Elena Marsh declared in the majority opinion, "not every corrupt act is a federal crime."`,
			[]wantQuote{{"corrupt act", "Justice Elena Marsh", "Elena Marsh", "declared"}}},
		{"a title of an organisation before the apposition", `The Director of Mid Wales Tourism Partnership, David Lloyd, called it a loss and said "an area like this cannot afford to lose such a hotel."`,
			[]wantQuote{{"cannot afford", "David Lloyd", "David Lloyd", "called"}}},
		{"a paragraph that closes a quote it does not reopen", "After the match, Hernan Diaz, the coach, said, \"We learned a lot from the game.\n\nIt was a very emotional day for all of us.\"\n\nThe next match started.",
			[]wantQuote{{"learned a lot", "Hernan Diaz", "Hernan Diaz", "said"}, {"emotional day", "Hernan Diaz", "Hernan Diaz", ""}}},
		{"with a subject and a participle", `Critics were critical of the attacks, with one poster writing "How can people look at both sides if one side is gone?"`,
			[]wantQuote{{"both sides", "one poster", "one poster", "writing"}}},
		{"a city reasons", `The city reasoned, "because the users pay a fee, this kind of activity is commercial".`,
			[]wantQuote{{"pay a fee", "The city", "The city", "reasoned"}}},
		{"an undersecretary for a department", `The minister spoke. Undersecretary for Education Mr. Tocca says "many schools will increase their fees or they will quit."`,
			[]wantQuote{{"many schools", "Mr. Tocca", "Tocca", "says"}}},
		{"an object and what it possesses", `During Prime Minister's Questions on Wednesday, Sunak defended the record: "We are working intensely on that legislation."`,
			[]wantQuote{{"working intensely", "Sunak", "Sunak", ":"}}},
		{"title excluded", `He appeared on "Face the Nation" on Sunday.`, nil},
		{"nickname excluded", `Rep. Robert C. "Bobby" Scott spoke at the event.`, nil},
		{"attribute excluded", `<tweet author="carlquintanilla">text</tweet>`, nil},
		{"no quotes", "Nothing is quoted in this sentence, said nobody.", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := text.New(tc.body)
			got := testX.Quotes(doc, nil)
			checkOffsets(t, tc.body, got, 0)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d quotes %s, want %d", len(got), dump(got), len(tc.want))
			}
			for i, w := range tc.want {
				q := got[i]
				if !strings.Contains(q.Text, w.text) {
					t.Errorf("quote %d text %q does not contain %q", i, q.Text, w.text)
				}
				if q.Cue != w.cue {
					t.Errorf("quote %d cue %q, want %q", i, q.Cue, w.cue)
				}
				if q.Speaker == nil || q.Speaker.Mention == nil {
					t.Errorf("quote %d has no speaker, want %q", i, w.mention)
					continue
				}
				if q.Speaker.Mention.Text != w.mention || q.Speaker.Name != w.name {
					t.Errorf("quote %d speaker mention %q name %q, want %q / %q", i, q.Speaker.Mention.Text, q.Speaker.Name, w.mention, w.name)
				}
			}
		})
	}
}

func TestDropUncuedShort(t *testing.T) {
	body := "Critics called it a mistake. The senator's \"plan\" is popular in the state."
	if got := New(Config{DropUncuedShort: true}).Quotes(text.New(body), nil); len(got) != 0 {
		t.Fatalf("strict mode kept %s", dump(got))
	}
}

func TestUnclosedQuote(t *testing.T) {
	body := "Smith said: “This quote never closes but goes on for a while\n\nNext paragraph."
	got := testX.Quotes(text.New(body), nil)
	if len(got) != 1 || !strings.HasSuffix(got[0].Text, "for a while") {
		t.Fatalf("got %s, want one quote ending at the paragraph end", dump(got))
	}
}

func TestColonClauseSpeakerIsTheEntityStagesPerson(t *testing.T) {
	// "Aumua Tala" is no first name the lists know; the entity stage says
	// it is a person, so the speech verb of the clause before the colon
	// names the speaker rather than the clause's first words
	body := `The Samoan delegate to the U.S. House of Representatives, Aumua Tala, told the press: "The ruling is unwelcome and inappropriate."`
	at := strings.Index(body, "Aumua Tala")
	ents := []event.Entity{{Text: "Aumua Tala", Type: event.TypePerson, Count: 1, Mentions: []event.Mention{{Start: at, End: at + 10, Text: "Aumua Tala"}}}}
	got := testX.Quotes(text.New(body), ents)
	if len(got) != 1 || got[0].Speaker == nil || got[0].Speaker.Name != "Aumua Tala" || got[0].Cue != "told" {
		t.Fatalf("got %s, want Aumua Tala by told", dump(got))
	}
}

func TestEntityLinking(t *testing.T) {
	body := "NATO chief Mark Rutte met leaders. “We stand together,” Rutte said. “We will not waver,” he added."
	ents := []event.Entity{
		{Text: "NATO", Type: event.TypeOrg, Count: 1, Mentions: []event.Mention{{Start: 0, End: 4, Text: "NATO"}}},
		{Text: "Mark Rutte", Type: event.TypePerson, Count: 2, Mentions: []event.Mention{
			{Start: 11, End: 21, Text: "Mark Rutte"}, {Start: strings.Index(body, "Rutte said"), End: strings.Index(body, "Rutte said") + 5, Text: "Rutte"}}},
	}
	got := testX.Quotes(text.New(body), ents)
	if len(got) != 2 {
		t.Fatalf("got %s", dump(got))
	}
	for i, q := range got {
		if q.Speaker == nil || q.Speaker.Entity != 1 || q.Speaker.Name != "Mark Rutte" {
			t.Errorf("quote %d speaker %+v, want entity 1 Mark Rutte", i, q.Speaker)
		}
	}
	if got[1].Speaker.Mention.Text != "he" {
		t.Errorf("pronoun mention %q, want he", got[1].Speaker.Mention.Text)
	}
	// without entities the extractor finds the name itself
	for _, q := range testX.Quotes(text.New(body), nil) {
		if q.Speaker == nil || q.Speaker.Entity != -1 || q.Speaker.Name != "Mark Rutte" {
			t.Errorf("no-entity speaker %+v, want Mark Rutte with entity -1", q.Speaker)
		}
	}
}

// A description's apposition names the speaker only when it is no place or
// organisation: "the town's mayor, Port Hope," is a place.
func TestAppositionThatIsAPlaceNamesNobody(t *testing.T) {
	for _, tc := range []struct {
		typ, want string
	}{
		{event.TypePerson, "Port Hope"},
		{event.TypeGPE, "the town's mayor"},
	} {
		body := `"We print every week," said the town's mayor, Port Hope. Nothing else.`
		at := strings.Index(body, "Port Hope")
		ents := []event.Entity{{Text: "Port Hope", Type: tc.typ, Count: 1, Mentions: []event.Mention{{Start: at, End: at + 9, Text: "Port Hope"}}}}
		got := testX.Quotes(text.New(body), ents)
		if len(got) != 1 || got[0].Speaker == nil || got[0].Speaker.Name != tc.want {
			t.Errorf("%s: got %s, want speaker %q", tc.typ, dump(got), tc.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Fatalf("zero config: %v", err)
	}
	if err := (Config{MinUnattributedWords: -1, Window: 5000}).Validate(); err == nil || !strings.Contains(err.Error(), "Window") {
		t.Fatalf("want a Window error, got %v", err)
	}
}

func TestGoldenSeed(t *testing.T) {
	a := samples.SeedArticle()
	got := testX.Quotes(text.New(a.Body), nil)
	checkOffsets(t, a.Body, got, 0)
	if len(got) != 3 {
		t.Fatalf("seed: got %d quotes, want 3: %s", len(got), dump(got))
	}
	pronoun := 0
	for i, q := range got {
		if q.Speaker == nil || q.Speaker.Name != "Mark Rutte" {
			t.Errorf("seed quote %d speaker %+v, want Mark Rutte", i, q.Speaker)
			continue
		}
		if q.Speaker.Mention.Text == "He" {
			pronoun++
		}
	}
	if pronoun != 1 {
		t.Errorf("want exactly one quote attributed via \"He\", got %d", pronoun)
	}
	golden.CheckJSON(t, filepath.Join("testdata", "seed.golden.json"), got)
}

// checkOffsets asserts the contract: byte offsets in range, on rune
// boundaries, Text equal to the span, mention likewise, entity in range.
func checkOffsets(t testing.TB, body string, qs []event.Quote, nents int) {
	t.Helper()
	// rune boundaries only mean something in valid UTF-8; the decoder
	// dead-letters anything else before it reaches the stages
	valid := utf8.ValidString(body)
	okSpan := func(s, e int) bool {
		if !(0 <= s && s < e && e <= len(body)) {
			return false
		}
		return !valid || utf8.RuneStart(body[s]) && (e == len(body) || utf8.RuneStart(body[e]))
	}
	prev := -1
	for i, q := range qs {
		if !okSpan(q.Start, q.End) || body[q.Start:q.End] != q.Text {
			t.Fatalf("quote %d bad span [%d,%d) text %q", i, q.Start, q.End, q.Text)
		}
		if q.Start < prev {
			t.Fatalf("quote %d out of order or overlapping", i)
		}
		prev = q.End
		if q.Speaker == nil {
			continue
		}
		m := q.Speaker.Mention
		if m == nil || !okSpan(m.Start, m.End) || body[m.Start:m.End] != m.Text {
			t.Fatalf("quote %d bad speaker mention %+v", i, m)
		}
		if q.Speaker.Entity < -1 || q.Speaker.Entity >= nents {
			t.Fatalf("quote %d entity %d out of range (%d entities)", i, q.Speaker.Entity, nents)
		}
		if q.Speaker.Name == "" {
			t.Fatalf("quote %d speaker without a name", i)
		}
	}
}

func dump(qs []event.Quote) string {
	b, _ := json.Marshal(qs)
	return string(b)
}

func FuzzQuotes(f *testing.F) {
	f.Add("“We will win,” Smith said. \"Yes,\" he added, “and ‘more’.")
	f.Add("\"\"\" “ ” „ « » ' ‘ ’ \n\n“open\n\n“again")
	f.Add("Smith: “")
	f.Add("”Mr. Trump said “x“ and ”y” — ― Name\n")
	for _, a := range samples.WikinewsArticles()[:3] {
		f.Add(a.Body)
	}
	f.Fuzz(func(t *testing.T, s string) {
		doc := text.New(s)
		// an entity with mentions at arbitrary token spans exercises linking
		var ents []event.Entity
		if n := len(doc.Tokens); n > 0 {
			tk := doc.Tokens[n/2]
			ents = []event.Entity{{Text: s[tk.Start:tk.End], Type: event.TypePerson, Mentions: []event.Mention{{Start: int(tk.Start), End: int(tk.End), Text: s[tk.Start:tk.End]}}}}
		}
		checkOffsets(t, s, testX.Quotes(doc, ents), len(ents))
		checkOffsets(t, s, testX.Quotes(doc, nil), 0)
	})
}

func BenchmarkQuotes(b *testing.B) {
	arts := samples.WikinewsArticles()
	arts = append(arts, samples.SeedArticle())
	docs := make([]*text.Doc, len(arts))
	words := 0
	for i, a := range arts {
		docs[i] = text.New(a.Body)
		words += text.CountWords(a.Body)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		for _, d := range docs {
			testX.Quotes(d, nil)
		}
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(words)*float64(b.N)/el, "words/s")
	b.ReportMetric(0, "ns/op")
}

// An organisation named before a person's name ("Coast Guard Commandant
// John Doe") is the person's affiliation: the person speaks, even when the
// entity stage found the organisation.
func TestAffiliationIsNotTheSpeaker(t *testing.T) {
	body := "“We searched the area all night,” Coast Guard Commandant Admiral John Doe told reporters."
	org := strings.Index(body, "Coast Guard")
	per := strings.Index(body, "John Doe")
	ents := []event.Entity{
		{Text: "Coast Guard", Type: event.TypeOrg, Count: 1, Mentions: []event.Mention{{Start: org, End: org + len("Coast Guard"), Text: "Coast Guard"}}},
		{Text: "John Doe", Type: event.TypePerson, Count: 1, Mentions: []event.Mention{{Start: per, End: per + len("John Doe"), Text: "John Doe"}}},
	}
	got := testX.Quotes(text.New(body), ents)
	if len(got) != 1 || got[0].Speaker == nil {
		t.Fatalf("got %s", dump(got))
	}
	if s := got[0].Speaker; s.Name != "John Doe" || s.Entity != 1 {
		t.Fatalf("speaker %q (entity %d), want John Doe (entity 1)", s.Name, s.Entity)
	}
}
