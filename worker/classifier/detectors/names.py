"""Common given names (lower case) across the locales Turnout sees most: English, German, French,
Spanish, Italian, Dutch, Portuguese, Nordic, Polish, Turkish, Indian, Chinese and Arabic romanisations.

Used only to recognise "Given Surname" pairs next to other personal data; a name alone never makes a
document sensitive. Names that are also everyday English words (Will, Mark, May, Grace, Bill, ...)
are left out, because "Will Smith" and "will review" must not look alike.
"""

GIVEN_NAMES: frozenset[str] = frozenset(
    """
    aaron abdul abigail abraham adam adrian adriana agnieszka ahmed ahmet aidan aiden aisha akira alan
    alana albert alberto alejandra alejandro aleksandra alex alexa alexander alexandra alexandre alexis
    alfie alfred ali alice alicia alina alison amanda amber amelia amir amit amy ana anastasia andre
    andrea andreas andrei andrew andrzej angela angelica angelo anita ann anna anne annette annika
    anthony antoine antonio anya arjun arthur ashley astrid aurelie ava ayesha barbara beatriz ben
    benjamin bernard bernd bethany bianca birgit bjorn brandon brenda brian brittany bruno caitlin
    camille carla carlos carmen carol caroline carolyn carsten casey catherine cecilia celine charles
    charlotte chen chiara chloe chris christian christina christine christopher claire clara claudia
    colin connor craig cristina curtis cynthia dagmar daisy damien dan daniel daniela danielle david
    debbie deborah deepak denise dennis derek diana diego dieter dimitri dominic donald donna dorothy
    douglas dylan edward elena elias elif elisa elizabeth ella ellen elsa emil emily emma enrique eric
    erik erin esther ethan eva evan evelyn fabian fatima federica felipe felix fernando fiona florian
    francesca francesco francisco frank franz freya gabriel gabriela gabriele gareth gary george
    georgia gerald gerhard giorgio giovanni giulia giuseppe gloria gordon greg gregory gunnar gustav
    hamza hannah hans harold harper harry hassan heather heidi heinz helen helena helga henrik henry
    hiroshi holly hugo ian ibrahim ines ingrid irene isaac isabel isabella isabelle ivan jack jacob
    jacqueline jakob james jamie jan jana jane janet janice jasmine jason javier jean jeffrey jennifer
    jens jeremy jessica jesus jill joan joanna joao joe johan johann johanna john jonas jonathan jordan
    jorge jose josef joseph joshua juan judith julia julian julie julien jurgen justin kai karen karin
    karl kate katharina katherine kathleen kathryn katie katrin kayla keith kelly kenneth kevin kim
    klaus kristen kristina krzysztof kumar kyle lars laura lauren laurent lea leah leon leonardo liam
    lily linda lisa liu logan lorenzo louis louise luca lucas lucia lucy luis luisa lukas luke maciej
    madison magdalena magnus maja manuel marc marcel marco marcus margaret maria mariam marie marina
    mario marion marta martha martin mary mason mateo matteo matthew matthias maximilian maya megan
    mehmet melanie melissa mia michael michaela michel michelle miguel mikael mike milan mohamed
    mohammed monica monika muhammad mustafa nadia nancy naomi natalia natalie nathalie nathan neha
    nicholas nicola nicolas nicole niklas nikolai nina noah noemi nora olga oliver olivia omar oscar
    pablo pamela paolo patricia patrick paul paula pedro peter petra philip philippe pierre piotr
    pooja priya rachel rafael rahul raj rajesh ralf ramon raphael rebecca renate ricardo richard
    riya robert roberto robin rohan roman ronald rosa ruth ryan sabine sam samantha samuel sandra
    sara sarah sebastian sergei sergio sean sharon shirley simon simone sofia sophia sophie stefan
    stefanie stephanie stephen steven susan susanne sven tanja tara teresa thomas tiffany tim timothy
    tobias tom tomasz tyler ursula valentina valerie vanessa vera veronica victor victoria vikram
    vincent virginia walter wang wei wendy werner william wolfgang xavier xin yan yasmin yusuf yuki
    zachary zhang zoe zoran kenji haruto yuto sota hina yui aoi ren takeshi hiroki satoshi minjun seojun
    jiwoo seoyeon jisoo minseo hyun duc minh linh thanh huong anh quang chidi chinedu emeka ngozi amara
    kwame kofi ama abena tunde femi bola thabo sipho lerato zanele kamal tariq karim layla leila rania
    nour youssef hussein farah salma zainab bilal imran asif sanjay sunita anita lakshmi ravi suresh
    ramesh ganesh krishna arun vijay ankit shreya divya kavya aditi aarav vivaan ishaan ananya saanvi
    wei jun jie hao yong ming lei fang ying hui li ling mei xiaoming xiaoli chloé léa manon inès jules
    théo louis hugo enzo nathan mathis noé clément baptiste antoine émilie océane maëlle jürgen jörg
    günter björn søren åsa
    """.split()  # noqa: SIM905 - a word list reads better as text
)
