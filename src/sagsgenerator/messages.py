"""Every Danish message a user can get, one template per finding code.

Each says what is wrong and what to write instead. Params are filled in by the rule that
found it; `header` is always the column's Danish header.
"""

MESSAGES: dict[str, str] = {
    # Cells
    "required-missing": "'{header}' er tom, men skal udfyldes{merged}. {help}",
    "amount-ambiguous": "Beløbet '{value}' kan læses på flere måder. Skriv fx 50.000 eller 1,5 mio.",
    "amount-invalid": "'{value}' er ikke et beløb. Skriv et beløb i kroner, fx 50.000 eller "
                      "1,5 mio. (0, hvis der ingen er).",
    "amount-range": "'{value}' er et interval. Skriv ét beløb, fx det forventede beløb, og "
                    "forklar spændet i teksten.",
    "amount-negative": "Beløbet '{value}' er negativt. Skriv et beløb på 0 kr. eller mere.",
    "period-invalid": "'{value}' er ikke en dato eller måned. Skriv fx »marts 2026«, »2026-03« "
                      "eller »1.3.2026«.",
    "period-two-digit-year": "Årstallet i '{value}' har kun to cifre. Skriv hele årstallet, "
                             "fx »okt. 2026«.",
    "number-not-whole": "'{value}' er ikke et helt tal. Skriv et helt tal, fx 3.",
    "number-range": "Nr. '{value}' skal være et helt tal fra 1 til 999.",
    "priority-range": "Prioriteten '{value}' skal være et helt tal fra 1 og op (1 er højest).",
    "choice-invalid": "'{value}' er ikke en mulighed under '{header}'.{suggestion} Vælg en af: "
                      "{choices}.",
    "title-too-long": "Titlen er {length} tegn lang. Forkort den til højst 120 tegn.",
    "email-invalid": "'{value}' er ikke en gyldig e-mailadresse. Skriv fx navn@kommune.dk.",
    "package-missing": "Et handlingsforslag skal bygge på en forebyggelsespakke. Vælg pakken i "
                       "'Forebyggelsespakke', eller skift forslagstypen til 'Udviklingsforslag'.",
    "followup-before-start": "Opfølgningen ({follow_up}) ligger før opstarten ({start}). En af "
                             "dem er skrevet forkert: ret datoerne, så opfølgningen ligger efter "
                             "opstarten.",
    "formula-no-value": "Cellen indeholder en formel ({formula}) uden gemt resultat. Åbn og gem "
                        "filen i Excel, eller skriv værdien direkte i cellen.",
    "control-removed": "Teksten indeholdt usynlige styretegn ({chars}), som ikke kan stå i et "
                       "Word-dokument; de er fjernet. Tjek at teksten ser rigtig ud.",
    "followup-undated": "Opfølgningen '{value}' indeholder ingen dato, så den kan ikke følges op "
                        "automatisk. Skriv fx »Slut-evaluering april 2027«.",
    "summary-too-long": "Resuméet er {length} tegn; det skal være ca. en halv side (højst "
                        "{limit} tegn). Forkort det.",
    "proposal-too-long": "Forslagets tekst fylder ca. {pages} sider; det må højst fylde {limit} "
                         "sider. Forkort teksterne.",
    "theme-missing": "'Tema' er tom, så forslaget står under »Uden tema« i "
                     "opfølgningsoversigten. Vælg et tema fra listen.",
    "start-missing-prioritised": "Forslaget er prioriteret, men 'Opstart' er tom. Skriv hvornår "
                                 "indsatsen starter, fx »marts 2026«.",
    # Workbook
    "number-duplicate": "Nr. {value} er brugt flere gange (også i {other}). Giv hvert forslag "
                        "sit eget nummer.",
    "title-duplicate": "Titlen '{value}' står også i {other}. Giv forslagene hver sin titel.",
    "priority-duplicate": "Prioritet {value} er givet til flere forslag (også i {other}). Giv "
                          "hvert prioriteret forslag sin egen prioritet.",
    "proposal-duplicate": "Forslaget '{value}' fra arbejdsgruppen {group} er allerede læst fra "
                          "{other}. Det tages kun med én gang; fjern det ene, eller giv dem "
                          "forskellige titler, hvis det er to forslag.",
    "priority-conflict": "Prioritet {value} er også givet til '{title}' fra arbejdsgruppen "
                         "{group} ({other}) under fokusområdet {focus_area}. Giv hvert forslag "
                         "sin egen prioritet.",
    "proposal-count": "Arbejdsgruppen har {count} forslag; der skal være mellem {low} og {high}.",
    "no-proposals": "Arket 'Forslag' har overskrifter, men ingen forslag. Udfyld mindst ét "
                    "forslag (helst 3-8), én række pr. forslag.",
    "header-unknown": "Kolonnen '{header}' kendes ikke og bliver ikke læst.{suggestion}",
    "group-sheet-missing": "Arket 'Arbejdsgruppe' mangler. Tilføj det med arbejdsgruppens navn, "
                           "fokusområde, tovholder og udvalg (se den tomme skabelon).",
    "group-label-absent": "Linjen '{header}' mangler i arket Arbejdsgruppe. Skriv '{header}' i "
                          "kolonne A og værdien i kolonne B.",
    # Files that cannot be used at all (exit status 2)
    "file-missing": "Filen findes ikke. Tjek stien og filnavnet.",
    "file-unreadable": "Filen kan ikke læses: {reason}.",
    "file-not-regular": "Stien peger ikke på en almindelig fil, men fx på en mappe, en pipe "
                        "eller en enhed. Angiv en Excel-projektmappe (.xlsx).",
    "file-empty": "Filen er tom (0 byte). Den er måske ikke gemt færdig eller ikke hentet fra "
                  "OneDrive/SharePoint; gem eller hent den igen.",
    "file-damaged": "Filen er beskadiget eller ufuldstændig og kan ikke læses. Åbn den i Excel "
                    "(der tilbyder at reparere den), og gem den igen som 'Excel-projektmappe "
                    "(*.xlsx)', eller bed om en ny kopi.",
    "file-unsafe": "Filen er bygget på en måde, som Excel aldrig selv gør ({reason}), og som "
                   "kan bruges til at overbelaste computeren; den læses derfor ikke. Bed "
                   "afsenderen gemme den igen i Excel som 'Excel-projektmappe (*.xlsx)'.",
    "folder-no-workbooks": "Mappen indeholder ingen Excel-projektmapper (.xlsx). Læg "
                           "arbejdsgruppernes .xlsx-filer i mappen, eller angiv filerne direkte.",
    "file-not-workbook": "Filen er ikke en Excel-projektmappe (.xlsx). Gem den i Excel som "
                         "'Excel-projektmappe (*.xlsx)'.",
    "file-xls": "Filen er i det gamle Excel-format (.xls). Åbn den i Excel og gem den som "
                "'Excel-projektmappe (*.xlsx)'.",
    "file-other-format": "Filen er en {format}-fil, ikke en Excel-projektmappe. Åbn den i Excel "
                         "eller LibreOffice og gem den som 'Excel-projektmappe (*.xlsx)'.",
    "file-encrypted": "Filen er beskyttet med adgangskode. Fjern adgangskoden i Excel (Filer > "
                      "Oplysninger > Beskyt projektmappe) og gem igen.",
    "file-too-large": "Filen er for stor til at blive læst ({reason}). En arbejdsgruppes "
                      "projektmappe fylder normalt under 1 MB; tjek at det er den rigtige fil.",
    "sheet-missing": "Arket 'Forslag' findes ikke. Arkene i filen hedder: {sheets}. Omdøb arket "
                     "med forslagene til 'Forslag'.",
    "header-row-missing": "Overskrifterne blev ikke fundet i de første 10 rækker af arket "
                          "'Forslag'. Skriv overskrifterne ('Nr.', 'Titel', 'Forslagstype' ...) "
                          "i række 1, som i den tomme skabelon.",
    "column-missing": "Den obligatoriske kolonne '{header}' mangler i arket 'Forslag'. Tilføj "
                      "den i overskriftsrækken (række {row}).",
    "column-duplicate": "Kolonnen '{header}' står flere gange ({cells}). Slet den ene.",
    "too-many-rows": "Arket 'Forslag' har {rows} rækker; der læses højst {limit}. Tjek at det "
                     "er den rigtige fil.",
    # Decisions (handleplan.xlsx back from the chief groups)
    "plan-sheet-missing": "Arket '{sheet}' findes ikke. Brug den handleplan.xlsx, sagsgenerator "
                          "har skrevet, og ret kun i kolonnerne Prioritet, Projektejer, "
                          "Finansiering, Opstart og Status.",
    "plan-key-missing": "Kolonnen '{header}' mangler. Den er skjult i handleplan.xlsx og "
                        "viser, hvilket forslag hver række er. Brug den handleplan.xlsx, "
                        "sagsgenerator har skrevet.",
    "plan-key-deleted": "Rækken har ingen nøgle i den skjulte kolonne, så det kan ikke ses, "
                        "hvilket forslag den hører til. Er rækken indsat i hånden? Slet den, "
                        "eller kopiér beslutningen over i forslagets egen række.",
    "plan-key-copied": "Rækken har samme nøgle som {other}: rækken er kopieret. Slet kopien, "
                       "så hvert forslag kun står én gang.",
    "plan-key-unknown": "Nøglen '{value}' findes ikke i registret: rækken hører ikke til et "
                        "forslag, registret kender. Er det en handleplan fra en anden periode "
                        "eller et andet register?",
    "decision-recorded": "{group} nr. {number}: {header} er nu »{value}« (besluttet "
                         "{decided_on}).",
    # Register

    "register-title-changed": (
        "{group} nr. {number} hed »{old}« i registret og hedder nu »{new}«. Titlen er helt "
        "ændret under samme nummer: er forslaget omnummereret? Registret har ikke gemt den nye "
        "udgave. Giv et nyt forslag et nyt nummer, eller bekræft at det er samme forslag."
    ),
    "register-renumbered": (
        "{group} nr. {number} »{new}« ligner nr. {other} i registret. Er forslagene "
        "omnummereret? Et forslag skal beholde sit nummer i hele perioden."
    ),
    "decision-contradicted": (
        "{group} nr. {number}: {header} er »{value}« i arbejdsgruppens ark ({cell}), men "
        "beslutningen fra {decided_on} er »{decision}« ({source}). Beslutningen gælder."
    ),
    "register-reinstated": (
        "{group} nr. {number} »{title}« var trukket tilbage {withdrawn_on} og er med igen. "
        "Det beholder sit sagsnummer."
    ),
}

# Word templates a municipality edits (render/check.py); place is "afsnit 12 »…«"
MESSAGES.update({
    "template-unreadable": "Filen kan ikke åbnes som Word-dokument ({reason}). Gem den i Word "
                           "som .docx.",
    "template-syntax": "Skabelonen kan ikke læses: {reason}. Tjek at hvert {for_tag} har sit "
                       "{endfor_tag} og hvert {if_tag} sit {endif_tag}, og at mærkerne er "
                       "skrevet helt.",
    "template-unknown-variable": "Variablen '{name}' findes ikke.{suggestion} Se listen over "
                                 "skabelonvariabler (docs/skabelonvariabler.md).",
    "template-unknown-field": "Feltet '{name}' findes ikke.{suggestion} Se listen over "
                              "skabelonvariabler (docs/skabelonvariabler.md).",
    "template-forbidden": "»{name}« er ikke tilladt i en skabelon: en skabelon må vise data, "
                          "men ikke nå Pythons indre dele eller køre kode. Fjern "
                          "»{expression}«.",
    "template-unknown-filter": "Filteret '{name}' kan ikke bruges i en skabelon. Brug et af: "
                               "{allowed}.",
    "template-too-much-work": "»{expression}« beder om mere arbejde, end et dokument kan kræve "
                              "({limit}). Brug en mindre værdi.",
    "template-split-paragraphs": "Et skabelonmærke begynder i ét afsnit (eller én tabelcelle) "
                                 "og slutter i et andet; Word har delt det. Skriv hele mærket, fx "
                                 "{example}, i ét afsnit.",
    "template-split-runs": "Mærket {tag} er delt over {count} tekstbidder med hver sin "
                           "formatering. docxtpl samler det, men skriv det helst igen i ét "
                           "stræk uden at ændre formatering midt i.",
    "template-row-tag-outside-table": "Mærket {tag} gentager en tabelrække, men står ikke i en "
                                      "tabel. Flyt det ind i rækken, eller brug {alternative}.",
    "template-cell-tag-outside-table": "Mærket {tag} gentager en tabelcelle, men står ikke i en "
                                       "tabel.",
    "template-paragraph-tag-with-text": "Mærket {tag} fjerner hele sit afsnit, også teksten ved "
                                        "siden af. Giv mærket sit eget afsnit.",
})

# The code registry: a Finding can only be made with one of these (findings.py checks).
CODES: frozenset[str] = frozenset(MESSAGES)
