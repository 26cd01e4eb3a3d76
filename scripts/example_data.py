"""Example intake workbooks for sagsgenerator, as pure data.

Three working groups hand in their "Forslag" and "Arbejdsgruppe" sheets:

* ``boern-og-unge.xlsx``  - "Børn og unge", 5 valid proposals (no findings).
* ``kronisk-sygdom.xlsx`` - "Borgere med kronisk sygdom", 4 valid proposals; one of them has
  the follow-up "Slut-evaluering følger" (no date), which gives exactly one warning.
* ``med-fejl.xlsx``       - "Ældre", 7 proposals: 5 with one planted mistake each (see
  ``PLANTED_MISTAKES``) and 2 valid ones, so a walk-through shows both side by side.

The interventions are adapted from Ishøj Kommune's 2017 follow-up on its health strategy
(shared/seeds/003) and described the way Køge's working-group terms ask for (seed 004).
Values are written the way working groups type them: amounts as numbers or Danish text
("75.000 kr.", "kr. 250.000,-", "1,2 mio."), months as dates or text ("marts 2026",
"2026-08", "aug. 2026"), and line breaks (Alt+Enter) as "\\n".

Keys of ``group`` are the labels of the "Arbejdsgruppe" sheet; keys of each proposal are the
headers of the "Forslag" sheet, spelled exactly as in docs/intake-standard.md. A missing key
or ``None`` is an empty cell.
"""

from __future__ import annotations

import datetime

# Shared goal texts (several proposals in a workbook serve the same goal).
MAAL_TOBAK = (
    "Færre borgere, der ryger dagligt – med særligt fokus på at forebygge unges rygestart"
)
MAAL_INAKTIVE_BOERN = "Flere børn er fysisk aktive og en del af et fællesskab i fritiden"
MAAL_KRONISK = (
    "Flere borgere med kronisk sygdom oplever højere livskvalitet og støttes i at leve bedst "
    "muligt med deres sygdom, og følgesygdomme forebygges"
)
MAAL_FUNKTIONSNIVEAU = "Færre ældre har et faldende funktionsniveau"

TEMA_HVERDAGSLIV = "Borgernes mulighed for et sundt hverdagsliv"
TEMA_MESTRING = "Borgernes mestring af eget liv"
TEMA_SUNDHEDSVAESEN = "Det borgernære kommunale sundhedsvæsen"


# ---------------------------------------------------------------------------------------------
# 1. Børn og unge: five valid proposals
# ---------------------------------------------------------------------------------------------

BOERN_OG_UNGE = {
    "filename": "boern-og-unge.xlsx",
    "group": {
        "Arbejdsgruppe": "Børn og unge",
        "Fokusområde": "Børn og unge",
        "Tovholder": "Mette Lindholm, sundhedskoordinator",
        "E-mail": "mette.lindholm@ishoj.dk",
        "Udvalg": "Børne- og Undervisningsudvalget",
        "Dato": datetime.date(2025, 11, 14),
    },
    "proposals": [
        {
            "Nr.": 1,
            "Titel": "Røgfri skoletid – Bliv en vinder uden tobak",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Tobak",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Tobak (rygning)",
            "Mål": MAAL_TOBAK,
            "Formål og forventet effekt": (
                "Formålet er at udskyde og forebygge rygestart blandt kommunens unge ved at "
                "indføre røgfri skoletid på alle folkeskoler og styrke den forebyggende "
                "undervisning i udskolingen. Røgfri skoletid betyder, at elever ikke må ryge "
                "eller bruge snus og andre nikotinprodukter i hele skoletiden – heller ikke uden "
                "for skolens matrikel. Vi forventer, at færre unge begynder at ryge eller bruge "
                "snus, og at andelen af dagligrygere i 9. klasse falder i retning af målet om en "
                "røgfri generation i 2030."
            ),
            "Målgruppe": (
                "Elever i 7.-9. klasse på kommunens folkeskoler (ca. 1.100 elever) og deres "
                "forældre. Sekundært medarbejderne på skolerne, som skal gå forrest som "
                "rollemodeller."
            ),
            "Problemets omfang": (
                "Ungeprofilundersøgelsen 2024 viser, at 14 % af eleverne i 9. klasse ryger eller "
                "bruger snus mindst én gang om ugen, og at hver tredje har prøvet e-cigaretter. "
                "Landsgennemsnittet ligger på ca. 10 %. Langt de fleste voksne rygere er begyndt, "
                "før de fyldte 18 år."
            ),
            "Indhold og rammer": (
                "Alle skoler indfører røgfri skoletid fra skoleårets start med fælles regler og en "
                "fælles forældreinformation.\n"
                "SSP-konsulenterne underviser alle 8. klasser i to lektioner om tobak, snus og "
                "e-cigaretter, og der holdes ét forældremøde pr. årgang. Skoleledelserne får et "
                "kort oplæg om, hvordan overtrædelser håndteres ens på tværs af skolerne. Unge, "
                "der gerne vil stoppe, henvises til kommunens rygestoptilbud for unge."
            ),
            "Ansvarligt center": "Tryghed og Kriminalitet",
            "Udførende og samarbejdspartnere": (
                "SSP-konsulenter, skoleledelser og lærere på de tre folkeskoler, sundhedsplejen "
                "og Kræftens Bekæmpelse (undervisningsmaterialer)."
            ),
            "Monitorering og evaluering": (
                "Indsatsen følges via 9. klasse-undersøgelsen og Ungeprofilundersøgelsen, som "
                "gennemføres hvert år i november. SSP registrerer antal gennemførte "
                "undervisningsforløb og forældremøder. Udvalget får en årlig status."
            ),
            "Målindikatorer": (
                "Andel elever i 9. klasse, der ryger eller bruger snus ugentligt\n"
                "Andel elever, der har prøvet e-cigaretter\n"
                "Antal skoler med røgfri skoletid\n"
                "Antal gennemførte undervisningsforløb i 8. klasse"
            ),
            "Opstart": datetime.date(2026, 8, 10),
            "Opfølgning": "Jan. 2027",
            "Ressourcer opstart (kr.)": "75.000 kr.",
            "Ressourcer drift pr. år (kr.)": 120000,
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at alle kommunens folkeskoler indfører røgfri skoletid "
                "fra skoleåret 2026/27, så elever ikke må ryge, bruge snus eller andre "
                "nikotinprodukter i skoletiden. Indsatsen bygger på Sundhedsstyrelsens "
                "forebyggelsespakke om tobak og viderefører erfaringerne fra projektet „Bliv en "
                "vinder uden tobak“.\n"
                "Baggrunden er, at 14 % af eleverne i 9. klasse ryger eller bruger snus ugentligt, "
                "hvilket er over landsgennemsnittet. Røgfri skoletid suppleres med undervisning i "
                "8. klasse ved SSP og et forældremøde pr. årgang, så skole og forældre taler med "
                "én stemme.\n"
                "Opstarten koster 75.000 kr. til materialer, forældreinformation og oplæg for "
                "skoleledelserne; driften koster 120.000 kr. om året, primært SSP-timer. "
                "Tryghed og Kriminalitet koordinerer, og effekten følges i den årlige "
                "Ungeprofilundersøgelse."
            ),
            "Prioritet": 1,
            "Projektejer": "Centerchef, Tryghed og Kriminalitet",
            "Status": "Prioriteret",
        },
        {
            "Nr.": 2,
            "Titel": "Tip Tab Tynde – familieforløb for overvægtige børn i 0.-6. klasse",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Overvægt",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Overvægtige børn",
            "Mål": "Færre overvægtige børn",
            "Formål og forventet effekt": (
                "Formålet er at hjælpe overvægtige børn og deres familier til varige ændringer i "
                "kost, bevægelse og søvn. Forløbet „Tip Tab Tynde“ gøres til et fast tilbud i "
                "stedet for et projekt. Vi forventer, at flertallet af børnene stabiliserer eller "
                "reducerer deres BMI-percentil, og at familierne oplever at have fået redskaber, "
                "de kan bruge i hverdagen."
            ),
            "Målgruppe": (
                "Overvægtige børn < 12 år (0.-6. klasse) og deres forældre. Børnene findes ved "
                "sundhedsplejens indskolings- og mellemtrinsundersøgelser. Der er særligt fokus "
                "på familier, hvor forældrene selv har overvægt eller har begrænset overskud til "
                "at ændre vaner."
            ),
            "Problemets omfang": (
                "Ved indskolingsundersøgelsen har 15 % af børnene overvægt og 4 % svær overvægt; "
                "på mellemtrinnet er andelen steget til 19 %. Overvægt i barndommen følger ofte "
                "med ind i voksenlivet og er skævt fordelt socialt."
            ),
            "Indhold og rammer": (
                "Forløbet varer 12 måneder og består af en startsamtale i hjemmet, otte "
                "gruppemøder for forældre og en ugentlig bevægelsesaktivitet for børnene, som "
                "ligger lige efter skoletid på den lokale skole. Sundhedsplejersken følger op med "
                "vejning og samtale hver tredje måned. Der kører to hold om året med 10-12 "
                "familier pr. hold."
            ),
            "Ansvarligt center": "Børn og Forebyggelse",
            "Udførende og samarbejdspartnere": (
                "Sundhedsplejen, skolernes idrætslærere, netværket „Sundhed & Trivsel“ i "
                "skoledistrikt Vest, lokale idrætsforeninger og de praktiserende læger "
                "(henvisning ved svær overvægt)."
            ),
            "Monitorering og evaluering": (
                "Sundhedsplejen registrerer højde, vægt og BMI-percentil ved start, efter 6 og "
                "efter 12 måneder. Forældrene udfylder et kort spørgeskema om vaner i familien "
                "ved start og afslutning. Der laves en årlig evaluering."
            ),
            "Målindikatorer": (
                "Antal familier, der gennemfører forløbet\n"
                "Andel børn med uændret eller faldende BMI-percentil efter 12 måneder\n"
                "Andel overvægtige børn ved indskolingsundersøgelsen"
            ),
            "Opstart": "marts 2026",
            "Opfølgning": "Årsrapport feb. 2027",
            "Ressourcer opstart (kr.)": "kr. 250.000,-",
            "Ressourcer drift pr. år (kr.)": "380.000",
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at familieforløbet „Tip Tab Tynde“ gøres permanent "
                "som tilbud til overvægtige børn i 0.-6. klasse og deres forældre. Indsatsen "
                "bygger på Sundhedsstyrelsens forebyggelsespakke om overvægt, som anbefaler "
                "familiebaserede forløb frem for tilbud, der kun retter sig mod barnet.\n"
                "15 % af børnene har overvægt ved skolestart, og andelen stiger op gennem "
                "skoleforløbet. Forløbet varer et år og kombinerer hjemmebesøg, gruppemøder for "
                "forældre og ugentlig bevægelse for børnene i samarbejde med netværket "
                "\"Sundhed & Trivsel\" og lokale idrætsforeninger. Der kører to hold om året.\n"
                "Opstarten koster 250.000 kr. (uddannelse af sundhedsplejersker og materialer), "
                "og driften koster 380.000 kr. om året. Børn og Forebyggelse har ansvaret, og "
                "resultaterne forelægges udvalget i en årsrapport."
            ),
            "Prioritet": 2,
            "Projektejer": "Centerchef, Børn og Forebyggelse",
            "Status": "Prioriteret",
        },
        {
            "Nr.": 3,
            "Titel": "Skolesport for motorisk udfordrede og foreningsløse børn",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Fysisk aktivitet",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Inaktive børn",
            "Mål": MAAL_INAKTIVE_BOERN,
            "Formål og forventet effekt": (
                "Formålet er at give børn, som ikke går til idræt i en forening, og børn med "
                "motoriske udfordringer en god oplevelse af at bevæge sig sammen med andre. "
                "Skolesport ligger i forlængelse af skoledagen og er gratis. Vi forventer, at "
                "flere børn bliver fysisk aktive, og at en del af dem fortsætter i en lokal "
                "forening."
            ),
            "Målgruppe": (
                "Elever i 1.-5. klasse, som ikke er medlem af en idrætsforening, eller som "
                "idrætslæreren vurderer har motoriske udfordringer. Ca. 250 børn på de tre skoler."
            ),
            "Problemets omfang": (
                "Skolernes trivselsmåling viser, at 35 % af eleverne i 1.-5. klasse ikke går til "
                "nogen fritidsaktivitet, og at andelen er højest i boligområderne. Kun hvert "
                "andet barn lever op til anbefalingen om en times fysisk aktivitet om dagen."
            ),
            "Indhold og rammer": (
                "To ugentlige hold á 60 minutter pr. skole i skolens hal lige efter "
                "undervisningen. Holdene ledes af en idrætslærer og en instruktør fra en lokal "
                "forening, så overgangen til foreningslivet bliver naturlig. Aktiviteterne er "
                "legebaserede og tilrettelægges, så alle kan være med."
            ),
            "Ansvarligt center": "Dagtilbud og Skoler",
            "Udførende og samarbejdspartnere": (
                "Skolernes idrætslærere, SFO, lokale idrætsforeninger og Kultur og Fritid "
                "(foreningskontakt)."
            ),
            "Monitorering og evaluering": (
                "Skolerne registrerer fremmøde på holdene. Ved skoleårets slutning spørges "
                "forældrene, om barnet er begyndt til en fritidsaktivitet. Resultaterne indgår i "
                "skolernes kvalitetsrapport."
            ),
            "Målindikatorer": (
                "Antal skoler, der deltager\n"
                "Antal børn på holdene og gennemsnitligt fremmøde\n"
                "Antal foreninger, der samarbejdes med\n"
                "Andel børn, der efterfølgende melder sig ind i en forening"
            ),
            "Opstart": "2026-08",
            "Opfølgning": "Okt. 2027",
            "Ressourcer opstart (kr.)": 150000,
            "Ressourcer drift pr. år (kr.)": 200000,
            "Finansiering": "Inden for eget budget",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at Skolesport udbredes til alle tre folkeskoler. "
                "Skolesport er gratis idræt i forlængelse af skoledagen for børn i 1.-5. klasse, "
                "som ikke går til idræt i en forening, eller som har motoriske udfordringer. "
                "Hver skole får to ugentlige hold, som ledes af en idrætslærer sammen med en "
                "instruktør fra en lokal forening.\n"
                "Over en tredjedel af børnene på mellemtrinnet går ikke til nogen "
                "fritidsaktivitet, og kun halvdelen er fysisk aktive en time om dagen. Skolesport "
                "skal give dem en god oplevelse af at bevæge sig og bygge bro til foreningslivet.\n"
                "Opstarten koster 150.000 kr. til redskaber og uddannelse af instruktører, og "
                "driften koster 200.000 kr. om året, som afholdes inden for skolernes budget. "
                "Dagtilbud og Skoler har ansvaret."
            ),
            "Prioritet": 3,
            "Projektejer": "Skolechef, Dagtilbud og Skoler",
            "Status": "Prioriteret",
        },
        {
            "Nr.": 4,
            "Titel": "Minisport – foreningsidræt for inaktive børn på 5-9 år",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Fysisk aktivitet",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Inaktive børn",
            "Mål": MAAL_INAKTIVE_BOERN,
            "Formål og forventet effekt": (
                "Formålet er at få foreningsløse og inaktive børn i alderen 5-9 år i gang med "
                "idræt, inden vanerne sætter sig. Minisport giver børnene mulighed for at prøve "
                "flere idrætsgrene i løbet af en sæson. Vi forventer, at mindst hvert tredje barn "
                "fortsætter i en forening efter forløbet."
            ),
            "Målgruppe": (
                "Børn på 5-9 år, som ikke er medlem af en idrætsforening. Særligt børn fra "
                "familier, der ikke selv har tradition for foreningsidræt."
            ),
            "Problemets omfang": (
                "Foreningsstatistikken viser, at kun 45 % af kommunens 5-9-årige er medlem af en "
                "idrætsforening mod 65 % på landsplan. Forskellen er størst i de almene "
                "boligområder."
            ),
            "Indhold og rammer": (
                "Minisport kører som hold én gang om ugen i sæsonen september-april. Børnene "
                "prøver fire idrætsgrene á otte uger, og hver forening stiller med egne trænere. "
                "Det er gratis at deltage det første år, og forældrene inviteres med til "
                "sidste træning i hver periode."
            ),
            "Ansvarligt center": "Kultur og Fritid",
            "Udførende og samarbejdspartnere": (
                "Lokale idrætsforeninger, fritidskonsulenten, skolernes SFO og boligsociale "
                "medarbejdere."
            ),
            "Monitorering og evaluering": (
                "Kultur og Fritid registrerer antal tilmeldte og fremmøde. Efter sæsonen "
                "undersøges, hvor mange børn der er fortsat i en forening. Der indgås skriftlige "
                "aftaler med de deltagende foreninger."
            ),
            "Målindikatorer": (
                "Antal børn, der deltager\n"
                "Antal aftaler med foreninger\n"
                "Andel børn, der fortsætter i en forening"
            ),
            "Opstart": "aug. 2026",
            "Opfølgning": "Okt. 2027",
            "Ressourcer opstart (kr.)": 0,
            "Ressourcer drift pr. år (kr.)": "60.000 kr.",
            "Finansiering": "Ekstern finansiering",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at Minisport bliver et fast tilbud til foreningsløse "
                "og inaktive børn i alderen 5-9 år. Børnene prøver fire idrætsgrene i løbet af en "
                "sæson, og trænerne kommer fra de lokale foreninger, så overgangen til et "
                "almindeligt hold er let. Første år er gratis for familierne.\n"
                "Kun 45 % af kommunens 5-9-årige går til idræt i en forening, hvilket er markant "
                "under landsgennemsnittet. Indsatsen supplerer Skolesport og retter sig især mod "
                "familier uden tradition for foreningsidræt.\n"
                "Der er ingen opstartsudgifter, da foreningernes faciliteter og trænere bruges. "
                "Driften koster 60.000 kr. om året til kontingentfritagelse og materialer, som "
                "søges dækket af fondsmidler. Kultur og Fritid har ansvaret."
            ),
            "Prioritet": 4,
            "Projektejer": "Kultur- og fritidschef",
            "Status": "Forslag",
        },
        {
            "Nr.": 5,
            "Titel": "Tidlig opsporing af astma hos børn i 0. klasse",
            "Forslagstype": "Udviklingsforslag",
            "Forebyggelsespakke": None,
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Kronisk sygdom",
            "Mål": (
                "Tidlig opsporing af borgere med kronisk sygdom, så de kan tilbydes rette forløb "
                "– herunder børn og unge med astma"
            ),
            "Formål og forventet effekt": (
                "Formålet er at finde børn med ubehandlet astma tidligt, så de kommer i "
                "behandling hos egen læge og undgår akutte anfald, fravær og unødige "
                "indlæggelser. Der findes ikke god viden om den bedste model for opsporing i "
                "kommunalt regi, og forslaget er derfor et udviklingsprojekt. Vi forventer, at "
                "flere børn får stillet diagnosen i skolealderen frem for ved en akut indlæggelse."
            ),
            "Målgruppe": (
                "Alle børn i 0. klasse (ca. 280 børn om året) og deres forældre. Særligt børn "
                "med hyppig hoste, pibende vejrtrækning eller astma i familien."
            ),
            "Problemets omfang": (
                "Omkring 10 % af danske skolebørn har astma, og en del er ikke diagnosticeret. "
                "Kommunen har flere forebyggelige indlæggelser af børn med astma end "
                "sammenlignelige kommuner."
            ),
            "Indhold og rammer": (
                "Ved indskolingsundersøgelsen udfylder forældrene et kort spørgeskema om "
                "luftvejssymptomer, og sundhedsplejersken laver en lungefunktionsmåling ved "
                "mistanke om astma. Børn med tegn på astma henvises til egen læge med en fast "
                "henvisningsskabelon. Projektet kører i to skoleår og evalueres, før der tages "
                "stilling til drift."
            ),
            "Ansvarligt center": "Børn og Forebyggelse",
            "Udførende og samarbejdspartnere": (
                "Sundhedsplejen, de praktiserende læger, Astma-Allergi Danmark (rådgivning) og "
                "hospitalets børneafdeling."
            ),
            "Monitorering og evaluering": (
                "Sundhedsplejen registrerer antal screenede og henviste børn. Lægerne melder "
                "tilbage, om astma blev bekræftet. Et eksternt evalueringsfirma vurderer modellen "
                "efter to år."
            ),
            "Målindikatorer": (
                "Antal børn, der screenes\n"
                "Antal henviste børn til praktiserende læger\n"
                "Andel henviste børn, hvor astma bekræftes"
            ),
            "Opstart": "januar 2027",
            "Opfølgning": "Slut-evaluering juni 2028",
            "Ressourcer opstart (kr.)": "1,2 mio.",
            "Ressourcer drift pr. år (kr.)": 350000,
            "Finansiering": "Ekstern finansiering",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår et toårigt udviklingsprojekt om tidlig opsporing af "
                "astma hos børn i 0. klasse. Ved indskolingsundersøgelsen svarer forældrene på et "
                "kort spørgeskema om luftvejssymptomer, og sundhedsplejersken laver en "
                "lungefunktionsmåling, hvis der er mistanke om astma. Børn med tegn på astma "
                "henvises til egen læge.\n"
                "Omkring hvert tiende skolebarn har astma, og mange er ikke diagnosticeret. "
                "Kommunen har relativt mange forebyggelige indlæggelser af børn med astma. Da der "
                "ikke er god viden om den bedste model, er der tale om et udviklingsforslag, som "
                "evalueres eksternt, før der tages stilling til drift.\n"
                "Projektet koster 1,2 mio. kr. over to år (sundhedsplejerske, udstyr og "
                "evaluering), som søges i Sundhedsstyrelsens puljer. Ved en efterfølgende drift "
                "anslås udgiften til 350.000 kr. om året."
            ),
            "Prioritet": 5,
            "Projektejer": "Ledende sundhedsplejerske, Børn og Forebyggelse",
            "Status": "Forslag",
        },
    ],
}


# ---------------------------------------------------------------------------------------------
# 2. Borgere med kronisk sygdom: four valid proposals (one follow-up without a date: a warning)
# ---------------------------------------------------------------------------------------------

KRONISK_SYGDOM = {
    "filename": "kronisk-sygdom.xlsx",
    "group": {
        "Arbejdsgruppe": "Borgere med kronisk sygdom",
        "Fokusområde": "Borgere med kronisk sygdom",
        "Tovholder": "Jonas Ravn Kristensen",
        "E-mail": "jonas.kristensen@ishoj.dk",
        "Udvalg": "Social- og Sundhedsudvalget",
        "Dato": datetime.date(2025, 11, 21),
    },
    "proposals": [
        {
            "Nr.": 1,
            "Titel": "Diabetesskole med aftenhold og hold på tyrkisk og arabisk",
            "Forslagstype": "Udviklingsforslag",
            "Forebyggelsespakke": "Mad og måltider",
            "Tema": TEMA_MESTRING,
            "Indsatsområde": "Kronisk sygdom",
            "Mål": MAAL_KRONISK,
            "Formål og forventet effekt": (
                "Formålet er at nå de borgere med type 2-diabetes, som i dag ikke deltager i "
                "Diabetesskolen, fordi de er i arbejde eller ikke taler dansk. Vi forventer, at "
                "flere borgere gennemfører et forløb, og at deltagerne oplever at kunne håndtere "
                "kost, medicin og motion bedre i hverdagen."
            ),
            "Målgruppe": (
                "Borgere over 18 år med type 2-diabetes, særligt borgere i arbejde og borgere "
                "med tyrkisk eller arabisk som modersmål. Borgerne henvises af egen læge eller "
                "hospitalet."
            ),
            "Problemets omfang": (
                "Ca. 1.400 borgere i kommunen har type 2-diabetes, og antallet stiger. Kun 60 "
                "borgere deltog i Diabetesskolen i 2024, og borgere med anden etnisk baggrund end "
                "dansk er markant underrepræsenteret, selv om forekomsten er højere i denne gruppe."
            ),
            "Indhold og rammer": (
                "Ud over de eksisterende dagshold oprettes to aftenhold og to hold om året med "
                "tolk eller tosproget underviser. Et forløb består af otte gange á to timer med "
                "undervisning i sygdomsforståelse, kost og motion samt fælles madlavning. "
                "Undervisningen foregår i Sundhedscentret og på biblioteket i "
                "boligområdet."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Sygeplejersker, diætist og fysioterapeuter i Sundhedscentret, praktiserende "
                "læger, Diabetesforeningen og de boligsociale medarbejdere."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal henviste, antal deltagere og fremmøde. Deltagerne svarer "
                "på et spørgeskema om egenmestring ved start og efter tre måneder. Udviklingen "
                "af aftenhold og tosprogede hold evalueres efter det første år."
            ),
            "Målindikatorer": (
                "Antal deltagere (aktivitetsmåling)\n"
                "Andel deltagere med anden etnisk baggrund end dansk\n"
                "Egenmestring efter tre måneder (selvrapportering)"
            ),
            "Opstart": "2026-04",
            "Opfølgning": "Slut-evaluering april 2027",
            "Ressourcer opstart (kr.)": "90.000 kr.",
            "Ressourcer drift pr. år (kr.)": 410000,
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at Diabetesskolen udvides med aftenhold og med hold "
                "på tyrkisk og arabisk. Diabetesskolen er et tilbud til borgere med type "
                "2-diabetes om undervisning i sygdomsforståelse, kost og motion, men i dag "
                "deltager kun en lille del af målgruppen, og borgere i arbejde og borgere med "
                "anden etnisk baggrund end dansk er næsten fraværende.\n"
                "Ca. 1.400 borgere har type 2-diabetes, og gruppen vokser. Bedre egenmestring kan "
                "forebygge følgesygdomme som hjerte-kar-sygdom, nyreskader og fodsår. Da der ikke "
                "er god viden om, hvordan de nye hold bedst tilrettelægges, er forslaget et "
                "udviklingsforslag, som evalueres efter et år.\n"
                "Opstarten koster 90.000 kr. (oversættelse af materialer og tolkeudgifter), og "
                "driften 410.000 kr. om året. Ældre og Rehabilitering har ansvaret."
            ),
            "Prioritet": 1,
            "Projektejer": "Centerchef, Ældre og Rehabilitering",
            "Status": "Prioriteret",
        },
        {
            "Nr.": 2,
            "Titel": "KOL-skole med rygestop og træning i nærområdet",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Tobak",
            "Tema": TEMA_MESTRING,
            "Indsatsområde": "Kronisk sygdom",
            "Mål": MAAL_KRONISK,
            "Formål og forventet effekt": (
                "Formålet er at styrke borgere med KOL i at leve med deres sygdom gennem "
                "undervisning, træning og rygestop. Rygestop er den vigtigste enkeltfaktor for at "
                "bremse sygdommen. Vi forventer færre indlæggelser med KOL-forværring, og at flere "
                "deltagere er røgfri et halvt år efter forløbet."
            ),
            "Målgruppe": (
                "Borgere med KOL, som er henvist af egen læge eller hospitalet. Mange i "
                "målgruppen er over 60 år, ryger stadig og har andre kroniske sygdomme."
            ),
            "Problemets omfang": (
                "Ca. 900 borgere i kommunen har en KOL-diagnose, og mørketallet vurderes at være "
                "stort. KOL er en af de hyppigste årsager til forebyggelige indlæggelser, og "
                "omkring en tredjedel af borgerne med KOL ryger fortsat dagligt."
            ),
            "Indhold og rammer": (
                "Et forløb varer tolv uger med træning to gange om ugen og seks temamøder om "
                "vejrtrækning, medicin, kost og hverdagsliv. Alle rygere tilbydes et rygestopforløb "
                "som en integreret del af KOL-skolen. Efter forløbet tilbydes overgang til et "
                "KOL-træningshold i en lokal forening."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Fysioterapeuter og sygeplejersker i Sundhedscentret, kommunens "
                "rygestoprådgivere, praktiserende læger, Lungeforeningen og lokale "
                "idrætsforeninger."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal deltagere, gennemførelse og røgfri status ved afslutning og "
                "efter seks måneder. Funktionsevnen måles med en gangtest ved start og slut. "
                "Indlæggelsestal følges via den regionale ledelsesinformation."
            ),
            "Målindikatorer": (
                "Antal deltagere (aktivitetsmåling)\n"
                "Andel røgfri deltagere efter seks måneder\n"
                "Forbedring i gangtest\n"
                "Antal forebyggelige indlæggelser med KOL"
            ),
            "Opstart": datetime.date(2026, 9, 1),
            "Opfølgning": "Årsrapport feb. 2027",
            "Ressourcer opstart (kr.)": 60000,
            "Ressourcer drift pr. år (kr.)": "kr. 350.000,-",
            "Finansiering": "Inden for eget budget",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at KOL-skolen styrkes, så rygestop bliver en fast del "
                "af forløbet, og at borgerne efter forløbet kan fortsætte træningen i en lokal "
                "forening. KOL-skolen består af tolv ugers træning og undervisning for borgere "
                "med KOL.\n"
                "Omkring 900 borgere har KOL, og en tredjedel af dem ryger stadig dagligt. KOL er "
                "en af de hyppigste årsager til forebyggelige indlæggelser. Rygestop er den mest "
                "virksomme enkeltindsats, og forslaget bygger derfor på Sundhedsstyrelsens "
                "forebyggelsespakke om tobak.\n"
                "Opstarten koster 60.000 kr. til uddannelse af instruktører i foreningerne, og "
                "driften koster 350.000 kr. om året, som kan afholdes inden for centrets budget "
                "ved en omprioritering af de nuværende hold."
            ),
            "Prioritet": 2,
            "Projektejer": "Leder af Sundhedscentret, Ældre og Rehabilitering",
            "Status": "Prioriteret",
        },
        {
            "Nr.": 3,
            "Titel": "Navigator – frivillige guider borgere gennem sundhedsvæsenet",
            "Forslagstype": "Udviklingsforslag",
            "Forebyggelsespakke": None,
            "Tema": TEMA_MESTRING,
            "Indsatsområde": "Kronisk sygdom",
            "Mål": MAAL_KRONISK,
            "Formål og forventet effekt": (
                "Formålet er at støtte sårbare borgere med kronisk sygdom i at mestre eget liv "
                "og finde vej i sundhedsvæsenet med hjælp fra en frivillig navigator. Vi "
                "forventer, at borgerne møder op til flere aftaler, forstår deres behandling "
                "bedre og føler sig mindre alene med sygdommen."
            ),
            "Målgruppe": (
                "Borgere med en eller flere kroniske sygdomme, som har svært ved at overskue "
                "deres forløb – fx på grund af sprog, psykisk sårbarhed eller et lille netværk. "
                "Borgerne henvises af hjemmeplejen, egen læge eller Sundhedscentret."
            ),
            "Problemets omfang": (
                "Omkring 8.000 borgere i kommunen har mindst én kronisk sygdom. Sårbare borgere "
                "udebliver oftere fra aftaler og har flere genindlæggelser. Erfaringerne fra det "
                "tidligere navigatorprojekt viste et stort behov."
            ),
            "Indhold og rammer": (
                "En frivilligkoordinator rekrutterer, uddanner og støtter 20-25 frivillige "
                "navigatorer. Hver borger får et forløb på op til seks måneder med faste "
                "møder, følgeskab til aftaler og hjælp til at forberede spørgsmål til lægen."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Frivillige navigatorer, frivilligkoordinator, Hjerteforeningen, Kræftens "
                "Bekæmpelse, praktiserende læger og hospitalets udskrivningskoordinatorer."
            ),
            "Monitorering og evaluering": (
                "Frivilligkoordinatoren registrerer antal forløb, henvendelser og aktive "
                "frivillige. Borgerne svarer på et kort spørgeskema om tryghed og mestring ved "
                "start og afslutning. Projektet evalueres samlet, når det har kørt i to år."
            ),
            "Målindikatorer": (
                "Antal forløb (borgere)\n"
                "Antal henvendelser\n"
                "Antal aktive frivillige"
            ),
            "Opstart": "okt. 2026",
            "Opfølgning": "Slut-evaluering følger",
            "Ressourcer opstart (kr.)": "0,6 mio.",
            "Ressourcer drift pr. år (kr.)": "275.000 kr.",
            "Finansiering": "Ekstern finansiering",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår at genstarte Navigator som et toårigt "
                "udviklingsprojekt. Frivillige navigatorer støtter sårbare borgere med kronisk "
                "sygdom i at finde vej i sundhedsvæsenet: de følger med til aftaler, hjælper med "
                "at forberede spørgsmål og er en fast kontakt i op til seks måneder.\n"
                "Sårbare borgere med kronisk sygdom udebliver oftere fra aftaler og bliver oftere "
                "genindlagt. Det tidligere navigatorprojekt viste et stort behov og gode "
                "erfaringer med frivillige, men blev ikke videreført efter projektperioden.\n"
                "Opstarten koster 0,6 mio. kr. til frivilligkoordinator, uddannelse og "
                "evaluering, og driften anslås til 275.000 kr. om året. Der søges ekstern "
                "finansiering, og Ældre og Rehabilitering har ansvaret."
            ),
            "Prioritet": 3,
            "Projektejer": "Frivilligkoordinator, Ældre og Rehabilitering",
            "Status": "Forslag",
        },
        {
            "Nr.": 4,
            "Titel": "Smag på livet – vægttab og madglæde for overvægtige voksne",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Overvægt",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Overvægtige voksne",
            "Mål": "Færre kronikere og livsstilssyge borgere",
            "Formål og forventet effekt": (
                "Formålet er at forebygge livsstilssygdomme som type 2-diabetes og hjerte-kar-"
                "sygdom hos overvægtige voksne gennem varige ændringer i kost og bevægelse. Vi "
                "forventer, at deltagerne taber sig moderat og fastholder vægttabet, og at de "
                "oplever større madglæde og bedre selvvurderet helbred."
            ),
            "Målgruppe": (
                "Overvægtige borgere over 18 år med BMI over 30, eller over 25 med risikofaktorer "
                "som forhøjet blodtryk eller prædiabetes."
            ),
            "Problemets omfang": (
                "Sundhedsprofilen viser, at 20 % af de voksne borgere har svær overvægt mod 17 % "
                "på landsplan. Andelen er størst blandt borgere med kort uddannelse."
            ),
            "Indhold og rammer": (
                "Holdforløb over 16 uger med 12 hold à 12 deltagere om året. Hvert forløb har "
                "ugentlig træning, fire madlavningsaftener og individuel samtale med en diætist "
                "ved start og afslutning. Efter forløbet tilbydes opfølgende samtaler efter tre "
                "og seks måneder."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Diætister og fysioterapeuter i Sundhedscentret, Kultur og Fritid "
                "(foreningsfitness) og praktiserende læger."
            ),
            "Monitorering og evaluering": (
                "Vægt, taljemål og selvvurderet helbred måles ved start, afslutning og efter "
                "seks måneder. Der registreres antal hold og deltagere."
            ),
            "Målindikatorer": (
                "Antal deltagere\n"
                "Antal hold\n"
                "Egenmestring (selvrapportering)"
            ),
            "Opstart": "februar 2026",
            "Opfølgning": "April 2027",
            "Ressourcer opstart (kr.)": 0,
            "Ressourcer drift pr. år (kr.)": 180000,
            "Finansiering": "Inden for eget budget",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at Smag på livet fortsætter som fast tilbud til "
                "overvægtige voksne. Forløbet varer 16 uger og kombinerer træning, "
                "madlavningsaftener og individuelle samtaler med en diætist. Deltagerne kan "
                "bagefter fortsætte i foreningsfitness.\n"
                "Hver femte voksne borger har svær overvægt, hvilket er over landsgennemsnittet, "
                "og overvægt øger risikoen for type 2-diabetes, hjerte-kar-sygdom og "
                "slidgigt. Forslaget bygger på Sundhedsstyrelsens forebyggelsespakke om overvægt.\n"
                "Der er ingen opstartsudgifter, da tilbuddet allerede findes. Driften koster "
                "180.000 kr. om året og afholdes inden for Ældre og Rehabiliterings budget."
            ),
            "Prioritet": 4,
            "Projektejer": "Centerchef, Ældre og Rehabilitering",
            "Status": "Prioriteret",
        },
    ],
}


# ---------------------------------------------------------------------------------------------
# 3. Ældre: five proposals with one planted mistake each, and two valid ones
# ---------------------------------------------------------------------------------------------

MED_FEJL = {
    "filename": "med-fejl.xlsx",
    "group": {
        "Arbejdsgruppe": "Ældre",
        "Fokusområde": "Ældre",
        "Tovholder": "Hanne Bech Sørensen",
        "E-mail": "hanne.sorensen@ishoj.dk",
        "Udvalg": "Social- og Sundhedsudvalget",
        "Dato": datetime.date(2025, 12, 2),
    },
    "proposals": [
        {
            # Planted mistake: "1.5" in Ressourcer opstart (kr.) is ambiguous.
            "Nr.": 1,
            "Titel": "Forebyggende hjemmebesøg til 70-årige i de almene boligområder",
            "Forslagstype": "Udviklingsforslag",
            "Forebyggelsespakke": None,
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Tab af færdigheder",
            "Mål": MAAL_FUNKTIONSNIVEAU,
            "Formål og forventet effekt": (
                "Formålet er at opspore begyndende funktionstab, ensomhed og underernæring "
                "tidligere hos ældre i de almene boligområder. I dag tilbydes forebyggende besøg "
                "først fra 75 år. Vi forventer, at flere ældre henvises til træning og "
                "fællesskaber, før de får brug for hjemmehjælp."
            ),
            "Målgruppe": (
                "Borgere på 70-74 år, som bor i de almene boligområder og ikke modtager "
                "hjemmehjælp. Ca. 450 borgere."
            ),
            "Problemets omfang": (
                "Ældre i de almene boligområder får i gennemsnit brug for hjemmehjælp fire år "
                "tidligere end ældre i resten af kommunen. Hver femte over 70 år angiver at være "
                "ensom ofte eller en gang imellem."
            ),
            "Indhold og rammer": (
                "De forebyggende medarbejdere tilbyder et besøg i hjemmet, hvor funktionsevne, "
                "ernæring, netværk og boligens indretning gennemgås. Borgeren henvises efter behov "
                "til træning, aktivitetstilbud eller egen læge. Invitationen sendes med brev og "
                "følges op af en telefonopringning."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Forebyggende medarbejdere, visitationen, boligsociale medarbejdere og Ældre Sagen "
                "lokalt."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal tilbudte og gennemførte besøg samt henvisninger. Efter to "
                "år sammenlignes brugen af hjemmehjælp med en tilsvarende gruppe."
            ),
            "Målindikatorer": (
                "Antal besøg hos borgere under 75 år\n"
                "Antal henvisninger til træning og aktivitetstilbud"
            ),
            "Opstart": "2026-05",
            "Opfølgning": "Slut-evaluering maj 2028",
            "Ressourcer opstart (kr.)": "1.5",
            "Ressourcer drift pr. år (kr.)": "420.000 kr.",
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår et toårigt udviklingsprojekt, hvor borgere på 70-74 år "
                "i de almene boligområder tilbydes et forebyggende hjemmebesøg. I dag tilbydes "
                "besøgene først fra 75 år, men ældre i boligområderne får i gennemsnit brug for "
                "hjemmehjælp flere år tidligere end andre ældre.\n"
                "Ved besøget gennemgås funktionsevne, ernæring, netværk og boligens indretning, "
                "og borgeren henvises efter behov til træning, aktivitetstilbud eller egen læge. "
                "Målet er at opspore funktionstab, før det fører til behov for hjælp.\n"
                "Driften koster 420.000 kr. om året til forebyggende medarbejdere. Ældre og "
                "Rehabilitering har ansvaret, og projektet evalueres efter to år."
            ),
            "Status": "Forslag",
        },
        {
            # Valid.
            "Nr.": 2,
            "Titel": "Varmtvandstræning for seniorer med gigt og slidgigt",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Fysisk aktivitet",
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Inaktive voksne",
            "Mål": "Flere borgere er fysisk aktive",
            "Formål og forventet effekt": (
                "Formålet er at give inaktive seniorer med gigt, slidgigt eller andre lidelser i "
                "bevægeapparatet mulighed for skånsom træning i varmt vand. Vi forventer mindre "
                "smerte, bedre bevægelighed, og at deltagerne efter forløbet fortsætter i en "
                "forening eller på egen hånd."
            ),
            "Målgruppe": (
                "Hjemmeboende borgere over 65 år med gigt, slidgigt eller kroniske smerter, som "
                "ikke er fysisk aktive i dag."
            ),
            "Problemets omfang": (
                "Hver fjerde borger over 65 år har slidgigt, og to ud af tre i denne gruppe lever "
                "ikke op til anbefalingerne for fysisk aktivitet. Smerter er den hyppigste "
                "begrundelse for ikke at træne."
            ),
            "Indhold og rammer": (
                "Holdtræning to gange om ugen i 10 uger i varmtvandsbassinet på plejecentret.\n"
                "Holdene ledes af en fysioterapeut de første fem uger og derefter af en "
                "instruktør fra en lokal gigtforening, så deltagerne kan fortsætte på "
                "foreningens hold."
            ),
            "Ansvarligt center": "Kultur og Fritid",
            "Udførende og samarbejdspartnere": (
                "Fysioterapeuter fra Ældre og Rehabilitering, lokale gigt- og seniorforeninger "
                "og frivillige instruktører."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal deltagere og fremmøde. Smerte og bevægelighed måles med et "
                "kort spørgeskema ved start og slut, og efter tre måneder spørges til fortsat "
                "aktivitet."
            ),
            "Målindikatorer": (
                "Antal deltagere\n"
                "Andel, der overgår til aktivitet i forening eller individuelt"
            ),
            "Opstart": "april 2026",
            "Opfølgning": "Okt. 2026",
            "Ressourcer opstart (kr.)": "20.000 kr.",
            "Ressourcer drift pr. år (kr.)": 140000,
            "Finansiering": "Inden for eget budget",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår hold med varmtvandstræning for inaktive seniorer med "
                "gigt, slidgigt og kroniske smerter. Træningen foregår to gange om ugen i ti uger "
                "i bassinet på plejecentret. En fysioterapeut leder holdet de første fem uger, og "
                "derefter overtager en instruktør fra en lokal forening, så deltagerne kan "
                "fortsætte træningen bagefter.\n"
                "Hver fjerde ældre har slidgigt, og smerter er den hyppigste grund til ikke at "
                "træne. Skånsom træning i varmt vand mindsker smerter og øger bevægeligheden og "
                "er anbefalet i Sundhedsstyrelsens forebyggelsespakke om fysisk aktivitet.\n"
                "Opstarten koster 20.000 kr., og driften 140.000 kr. om året. Kultur og Fritid "
                "har ansvaret."
            ),
            "Status": "Forslag",
        },
        {
            # Planted mistake: Handlingsforslag without a Forebyggelsespakke.
            "Nr.": 3,
            "Titel": "Seniorvenner og Cykling uden alder i alle bydele",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": None,
            "Tema": TEMA_HVERDAGSLIV,
            "Indsatsområde": "Ensomhed",
            "Mål": "Færre børn og voksne skal føle sig ensomme",
            "Formål og forventet effekt": (
                "Formålet er at styrke ældres sociale netværk i de lokale nærområder gennem "
                "frivillige seniorvenner og cykelture i rickshaw med Cykling uden alder. Vi "
                "forventer, at færre ældre føler sig ensomme, og at flere kommer ud og deltager i "
                "fællesskaber."
            ),
            "Målgruppe": (
                "Ældre over 75 år, som bor alene eller på plejecenter og har et lille netværk, "
                "særligt ældre, der har mistet en ægtefælle inden for det seneste år."
            ),
            "Problemets omfang": (
                "Sundhedsprofilen viser, at 9 % af borgerne over 75 år ofte føler sig uønsket "
                "alene. Ensomhed øger risikoen for depression, hjerte-kar-sygdom og tidlig død."
            ),
            "Indhold og rammer": (
                "Seniorvennerne besøger en ældre borger ugentligt i mindst et halvt år. Cykling "
                "uden alder udvides fra ét til fire plejecentre med to rickshaws hvert sted. "
                "Frivillige rekrutteres gennem lokale foreninger og kirken."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Frivillige seniorvenner og piloter, frivilligkoordinator, plejecentrene, Ældre "
                "Sagen og menighedsrådene."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal deltagere, antal frivillige og antal cykelture. Et kort "
                "spørgeskema om ensomhed udfyldes ved start og efter seks måneder."
            ),
            "Målindikatorer": (
                "Antal deltagere\n"
                "Antal aktive frivillige\n"
                "Andel deltagere, der oplever mindre ensomhed efter seks måneder"
            ),
            "Opstart": "juni 2026",
            "Opfølgning": "Årsrapport feb. 2027",
            "Ressourcer opstart (kr.)": "kr. 180.000,-",
            "Ressourcer drift pr. år (kr.)": 95000,
            "Finansiering": "Ekstern finansiering",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at Ældres Netværk udbygges, så Seniorvenner og Cykling "
                "uden alder findes i alle bydele. Seniorvennerne er frivillige, der besøger en "
                "ensom ældre ugentligt, og med Cykling uden alder kommer beboere på plejecentre "
                "ud på cykelture i rickshaw med en frivillig pilot.\n"
                "Hver ellevte borger over 75 år føler sig ofte uønsket alene, og ensomhed øger "
                "risikoen for både psykisk og fysisk sygdom. Forslaget bygger på gode "
                "erfaringer fra det første plejecenter.\n"
                "Opstarten koster 180.000 kr. til seks rickshaws og uddannelse af frivillige, og "
                "driften koster 95.000 kr. om året til vedligehold og frivilligkoordinering."
            ),
            "Status": "Forslag",
        },
        {
            # Planted mistake: centre not in the configured list.
            "Nr.": 4,
            "Titel": "Bedre mundhygiejne for ældre på plejecentre",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Hygiejne",
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Forebyggelige indlæggelser",
            "Mål": "Antallet af forebyggelige indlæggelser skal nedbringes",
            "Formål og forventet effekt": (
                "Formålet er at forbedre mundhygiejnen hos beboere på plejecentre og dermed "
                "forebygge lungebetændelse og sygdomme i tænder og mundhule. Vi forventer færre "
                "indlæggelser med lungebetændelse og færre akutte tandbehandlinger."
            ),
            "Målgruppe": (
                "Beboere på kommunens plejecentre, som er tilknyttet omsorgstandplejen, med "
                "særligt fokus på beboere med demens."
            ),
            "Problemets omfang": (
                "Dårlig mundhygiejne er en kendt årsag til lungebetændelse hos svækkede ældre. "
                "Lungebetændelse er den hyppigste forebyggelige indlæggelse blandt beboere på "
                "plejecentre i kommunen."
            ),
            "Indhold og rammer": (
                "Omsorgstandplejen underviser plejepersonalet i tandbørstning og mundpleje hos "
                "beboere, der ikke selv kan. Der udpeges en mundplejeansvarlig på hver afdeling, "
                "og mundpleje skrives ind i beboernes døgnrytmeplan."
            ),
            "Ansvarligt center": "Center for Ældre",
            "Udførende og samarbejdspartnere": (
                "Omsorgstandplejen, plejepersonale på plejecentrene og sygeplejersker."
            ),
            "Monitorering og evaluering": (
                "Der registreres personalefremmøde ved undervisningen og antal lungebetændelser "
                "blandt beboerne. Omsorgstandplejen vurderer mundhygiejnen ved det årlige "
                "eftersyn."
            ),
            "Målindikatorer": (
                "Antal lungebetændelser blandt beboerne\n"
                "Antal sygdomme i tænder og mundhule\n"
                "Personalefremmøde ved undervisning"
            ),
            "Opstart": datetime.date(2026, 3, 1),
            "Opfølgning": "April 2027",
            "Ressourcer opstart (kr.)": 85000,
            "Ressourcer drift pr. år (kr.)": "40.000 kr.",
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at omsorgstandplejen underviser plejepersonalet på "
                "alle plejecentre i mundpleje, og at der udpeges en mundplejeansvarlig på hver "
                "afdeling. Mundpleje skrives ind i beboernes døgnrytmeplan, så den ikke "
                "afhænger af den enkelte medarbejder.\n"
                "Dårlig mundhygiejne øger risikoen for lungebetændelse hos svækkede ældre, og "
                "lungebetændelse er den hyppigste forebyggelige indlæggelse blandt beboerne. "
                "Beboere med demens er særligt udsatte, fordi de ofte ikke selv kan gøre "
                "opmærksom på smerter.\n"
                "Opstarten koster 85.000 kr. til undervisning og materialer, og driften 40.000 "
                "kr. om året til opfølgende undervisning af nye medarbejdere."
            ),
            "Status": "Forslag",
        },
        {
            # Planted mistake: Opfølgning (March 2026) lies before Opstart (September 2026).
            "Nr.": 5,
            "Titel": "Faldforebyggende træningshold for hjemmeboende ældre",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Fysisk aktivitet",
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Tab af færdigheder",
            "Mål": (
                "Borgere der har oplevet tab af færdigheder, skal støttes i at opnå bedst muligt "
                "funktionsniveau"
            ),
            "Formål og forventet effekt": (
                "Formålet er at forebygge fald og faldrelaterede skader hos hjemmeboende ældre "
                "gennem styrke- og balancetræning. Vi forventer færre faldulykker og færre "
                "hoftebrud, og at deltagerne bevarer evnen til at klare sig selv i hjemmet."
            ),
            "Målgruppe": (
                "Hjemmeboende borgere over 65 år, som er faldet inden for det seneste år eller er "
                "vurderet i faldrisiko af hjemmeplejen eller egen læge."
            ),
            "Problemets omfang": (
                "Hver tredje borger over 65 år falder mindst én gang om året. Faldulykker er den "
                "hyppigste årsag til skadestuebesøg blandt ældre, og et hoftebrud betyder ofte "
                "varigt tab af funktionsevne."
            ),
            "Indhold og rammer": (
                "Træningshold to gange om ugen i 12 uger i Sundhedscentret med fokus på balance, "
                "styrke og gangfunktion. Forløbet indledes med en faldudredning og et besøg i "
                "hjemmet, hvor risici som løse tæpper og dårlig belysning gennemgås."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Fysioterapeuter og ergoterapeuter, hjemmeplejen, praktiserende læger og lokale "
                "seniorforeninger (videre træning)."
            ),
            "Monitorering og evaluering": (
                "Der laves balance- og gangtest ved start og slut. Antallet af fald registreres "
                "via hjemmeplejen og skadestuen, og der gives status efter første år."
            ),
            "Målindikatorer": (
                "Antal deltagere\n"
                "Forbedring i balancetest\n"
                "Antal faldulykker blandt hjemmeboende over 65 år"
            ),
            "Opstart": "september 2026",
            "Opfølgning": "Slut-evaluering marts 2026",
            "Ressourcer opstart (kr.)": 45000,
            "Ressourcer drift pr. år (kr.)": "260.000",
            "Finansiering": "Inden for eget budget",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår faste faldforebyggende træningshold for hjemmeboende "
                "ældre, der er faldet eller er i risiko for at falde. Forløbet består af en "
                "faldudredning, et hjemmebesøg og 12 ugers hold med balance- og styrketræning "
                "to gange om ugen i Sundhedscentret.\n"
                "Hver tredje ældre over 65 år falder mindst én gang om året, og faldulykker er "
                "den hyppigste årsag til skadestuebesøg blandt ældre. Træning af balance og "
                "styrke er den bedst dokumenterede faldforebyggende indsats.\n"
                "Opstarten koster 45.000 kr. til udstyr, og driften 260.000 kr. om året, som "
                "afholdes inden for Ældre og Rehabiliterings budget."
            ),
            "Status": "Forslag",
        },
        {
            # Valid.
            "Nr.": 6,
            "Titel": "Tidlig opsporing af alkoholproblemer hos ældre i hjemmeplejen",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Alkohol",
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Alkohol",
            "Mål": "Færre ældre med et skadeligt alkoholforbrug",
            "Formål og forventet effekt": (
                "Formålet er at gøre medarbejderne i hjemmeplejen trygge ved at tale om alkohol "
                "med ældre borgere og henvise til hjælp. Vi forventer, at flere ældre med et "
                "skadeligt forbrug opdages og tilbydes behandling, og at antallet af fald og "
                "indlæggelser, hvor alkohol spiller ind, falder."
            ),
            "Målgruppe": (
                "Borgere over 65 år, som modtager hjemmepleje, og medarbejderne i hjemmeplejen "
                "(ca. 180 medarbejdere)."
            ),
            "Problemets omfang": (
                "Sundhedsprofilen viser, at 12 % af borgerne over 65 år drikker mere end "
                "Sundhedsstyrelsens anbefaling. Problemet er ofte skjult og opdages først ved "
                "fald eller indlæggelse."
            ),
            "Indhold og rammer": (
                "Alle medarbejdere i hjemmeplejen får en halv dags undervisning i den korte "
                "samtale om alkohol. Der indføres et fast spørgsmål om alkohol ved visitation, "
                "og borgere med et skadeligt forbrug tilbydes samtale med kommunens "
                "alkoholbehandling, evt. i eget hjem."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Hjemmeplejen, visitationen, kommunens alkoholbehandling (Socialservice) og "
                "praktiserende læger."
            ),
            "Monitorering og evaluering": (
                "Der registreres antal undervisningsdeltagere og antal henvisninger til "
                "alkoholbehandling. Medarbejderne svarer på et kort spørgeskema om tryghed ved at "
                "tale om alkohol før og efter undervisningen."
            ),
            "Målindikatorer": (
                "Andel medarbejdere, der har fået undervisning\n"
                "Antal henvisninger til alkoholbehandling fra hjemmeplejen"
            ),
            "Opstart": "okt. 2026",
            "Opfølgning": "Okt. 2027",
            "Ressourcer opstart (kr.)": "110.000 kr.",
            "Ressourcer drift pr. år (kr.)": 30000,
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår, at alle medarbejdere i hjemmeplejen undervises i den "
                "korte samtale om alkohol, og at der indføres et fast spørgsmål om alkohol ved "
                "visitationen. Ældre med et skadeligt forbrug tilbydes samtale med kommunens "
                "alkoholbehandling, om nødvendigt i eget hjem.\n"
                "Hver ottende borger over 65 år drikker mere end anbefalet, og problemet opdages "
                "ofte først ved et fald eller en indlæggelse. Forslaget bygger på "
                "Sundhedsstyrelsens forebyggelsespakke om alkohol, som anbefaler systematisk "
                "opsporing og kort rådgivning.\n"
                "Opstarten koster 110.000 kr. til undervisning, og driften 30.000 kr. om året "
                "til undervisning af nye medarbejdere."
            ),
            "Status": "Forslag",
        },
        {
            # Planted mistake: the required Målgruppe is empty.
            "Nr.": 7,
            "Titel": "Mad med glæde – ernæringsindsats for småtspisende ældre",
            "Forslagstype": "Handlingsforslag",
            "Forebyggelsespakke": "Mad og måltider",
            "Tema": TEMA_SUNDHEDSVAESEN,
            "Indsatsområde": "Underernæring",
            "Mål": MAAL_FUNKTIONSNIVEAU,
            "Formål og forventet effekt": (
                "Formålet er at forebygge uplanlagt vægttab og underernæring hos ældre, så de "
                "bevarer muskelstyrke og funktionsevne. Vi forventer, at færre ældre taber sig "
                "uplanlagt, og at færre indlægges med dehydrering eller underernæring."
            ),
            "Målgruppe": None,
            "Problemets omfang": (
                "Op mod hver fjerde hjemmeboende ældre, der modtager hjemmepleje, er i "
                "ernæringsmæssig risiko. Uplanlagt vægttab fører til tab af muskelmasse, flere "
                "fald og længere indlæggelser."
            ),
            "Indhold og rammer": (
                "Hjemmeplejen vejer borgerne en gang om måneden og screener for ernæringsrisiko. "
                "Borgere i risiko får besøg af en diætist og tilbud om energitæt mad og "
                "mellemmåltider fra det kommunale køkken. Der etableres spisefællesskaber på to "
                "aktivitetscentre."
            ),
            "Ansvarligt center": "Ældre og Rehabilitering",
            "Udførende og samarbejdspartnere": (
                "Hjemmeplejen, kommunens diætister, det kommunale produktionskøkken og "
                "aktivitetscentrene."
            ),
            "Monitorering og evaluering": (
                "Vægt registreres i omsorgsjournalen, og der trækkes data hvert kvartal. Antal "
                "borgere, der får diætistbesøg og energitæt kost, følges løbende."
            ),
            "Målindikatorer": (
                "Andel borgere med uplanlagt vægttab\n"
                "Antal borgere med diætistbesøg\n"
                "Antal deltagere i spisefællesskaberne"
            ),
            "Opstart": "2026-09",
            "Opfølgning": "Årsrapport feb. 2028",
            "Ressourcer opstart (kr.)": 70000,
            "Ressourcer drift pr. år (kr.)": "310.000 kr.",
            "Finansiering": "Sundhedsområdets midler",
            "Resumé (ca. ½ side)": (
                "Arbejdsgruppen foreslår en samlet ernæringsindsats for småtspisende ældre i "
                "hjemmeplejen. Borgerne vejes hver måned og screenes for ernæringsrisiko, og "
                "borgere i risiko får besøg af en diætist og tilbud om energitæt mad og "
                "mellemmåltider. Samtidig etableres spisefællesskaber på to aktivitetscentre, "
                "fordi måltidet i selskab med andre øger appetitten.\n"
                "Op mod hver fjerde ældre i hjemmeplejen er i ernæringsmæssig risiko, og "
                "uplanlagt vægttab fører til tab af muskelmasse, fald og længere indlæggelser.\n"
                "Opstarten koster 70.000 kr. til vægte og uddannelse af medarbejdere, og driften "
                "310.000 kr. om året til diætist og mellemmåltider."
            ),
            "Status": "Forslag",
        },
    ],
}


WORKBOOKS: list[dict] = [BOERN_OG_UNGE, KRONISK_SYGDOM, MED_FEJL]


# The one mistake planted in each bad row of med-fejl.xlsx: (Nr., header, what is wrong).
PLANTED_MISTAKES: dict[str, list[tuple[int, str, str]]] = {
    "med-fejl.xlsx": [
        (
            1,
            "Ressourcer opstart (kr.)",
            "Ambiguous amount '1.5': in Danish '.' groups thousands, so this is neither 1,5 "
            "(decimal) nor a valid thousands grouping (1.500 or 1,5 mio.); it must be "
            "reported, never guessed.",
        ),
        (
            3,
            "Forebyggelsespakke",
            "A Handlingsforslag must build on one of the prevention packages, but the cell is "
            "empty (here 'Mental sundhed' would fit); otherwise it should be an "
            "Udviklingsforslag.",
        ),
        (
            4,
            "Ansvarligt center",
            "'Center for Ældre' is not one of the configured centres; the intended one is "
            "'Ældre og Rehabilitering'.",
        ),
        (
            5,
            "Opfølgning",
            "The follow-up 'Slut-evaluering marts 2026' lies before the start 'september 2026'; "
            "one of the two is mistyped (probably marts 2027).",
        ),
        (
            7,
            "Målgruppe",
            "The required Målgruppe (characteristics of the target group) is empty.",
        ),
    ],
}
