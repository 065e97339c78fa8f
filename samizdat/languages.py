"""Which language codes samizdat knows, and which of them it can hyphenate: ISO 639 as data.

A document's `lang` is a BCP 47 tag whose primary subtag is an ISO 639 code:
two letters where the language has them (`kk`, `ka`, `hy`), else three
(`crh`, `sah`). samizdat sets any of them; it hyphenates those pyphen has
patterns for, and sets the others without hyphenation, with one note in the
build (hyphenation_note; none for a script that is never hyphenated). A
code that is no language (`ua`, `xx`) is an error, so that a slip of the
keyboard never passes for a language. The codes and names are Debian's
iso-codes 4.15.0 (`iso_639-2.json`: every two-letter code, the three-letter
codes of languages without one, less the special codes mis, mul, und, zxx
and qaa-qtz), and a few ISO 639-3 codes of the region's languages that
ISO 639-2 lacks (EXTRA_THREE_LETTER).
"""

from __future__ import annotations

import pyphen

_TWO_LETTER = """\
aa aar Afar; ab abk Abkhazian; ae ave Avestan; af afr Afrikaans; ak aka Akan; am amh Amharic; an arg Aragonese; ar
ara Arabic; as asm Assamese; av ava Avaric; ay aym Aymara; az aze Azerbaijani; ba bak Bashkir; be bel Belarusian; bg
bul Bulgarian; bh bih Bihari languages; bi bis Bislama; bm bam Bambara; bn ben Bengali; bo bod tib Tibetan; br bre
Breton; bs bos Bosnian; ca cat Catalan; ce che Chechen; ch cha Chamorro; co cos Corsican; cr cre Cree; cs ces cze
Czech; cu chu Church Slavic; cv chv Chuvash; cy cym wel Welsh; da dan Danish; de deu ger German; dv div Divehi; dz
dzo Dzongkha; ee ewe Ewe; el ell gre Greek, Modern; en eng English; eo epo Esperanto; es spa Spanish; et est
Estonian; eu eus baq Basque; fa fas per Persian; ff ful Fulah; fi fin Finnish; fj fij Fijian; fo fao Faroese; fr fra
fre French; fy fry Western Frisian; ga gle Irish; gd gla Gaelic; gl glg Galician; gn grn Guarani; gu guj Gujarati;
gv glv Manx; ha hau Hausa; he heb Hebrew; hi hin Hindi; ho hmo Hiri Motu; hr hrv Croatian; ht hat Haitian; hu hun
Hungarian; hy hye arm Armenian; hz her Herero; ia ina Interlingua; id ind Indonesian; ie ile Interlingue; ig ibo
Igbo; ii iii Sichuan Yi; ik ipk Inupiaq; io ido Ido; is isl ice Icelandic; it ita Italian; iu iku Inuktitut; ja jpn
Japanese; jv jav Javanese; ka kat geo Georgian; kg kon Kongo; ki kik Kikuyu; kj kua Kuanyama; kk kaz Kazakh; kl kal
Kalaallisut; km khm Central Khmer; kn kan Kannada; ko kor Korean; kr kau Kanuri; ks kas Kashmiri; ku kur Kurdish; kv
kom Komi; kw cor Cornish; ky kir Kirghiz; la lat Latin; lb ltz Luxembourgish; lg lug Ganda; li lim Limburgan; ln lin
Lingala; lo lao Lao; lt lit Lithuanian; lu lub Luba-Katanga; lv lav Latvian; mg mlg Malagasy; mh mah Marshallese; mi
mri mao Maori; mk mkd mac Macedonian; ml mal Malayalam; mn mon Mongolian; mr mar Marathi; ms msa may Malay; mt mlt
Maltese; my mya bur Burmese; na nau Nauru; nb nob Bokmål, Norwegian; nd nde Ndebele, North; ne nep Nepali; ng ndo
Ndonga; nl nld dut Dutch; nn nno Norwegian Nynorsk; no nor Norwegian; nr nbl Ndebele, South; nv nav Navajo; ny nya
Chichewa; oc oci Occitan; oj oji Ojibwa; om orm Oromo; or ori Oriya; os oss Ossetian; pa pan Panjabi; pi pli Pali;
pl pol Polish; ps pus Pushto; pt por Portuguese; qu que Quechua; rm roh Romansh; rn run Rundi; ro ron rum Romanian;
ru rus Russian; rw kin Kinyarwanda; sa san Sanskrit; sc srd Sardinian; sd snd Sindhi; se sme Northern Sami; sg sag
Sango; si sin Sinhala; sk slk slo Slovak; sl slv Slovenian; sm smo Samoan; sn sna Shona; so som Somali; sq sqi alb
Albanian; sr srp Serbian; ss ssw Swati; st sot Sotho, Southern; su sun Sundanese; sv swe Swedish; sw swa Swahili; ta
tam Tamil; te tel Telugu; tg tgk Tajik; th tha Thai; ti tir Tigrinya; tk tuk Turkmen; tl tgl Tagalog; tn tsn Tswana;
to ton Tonga; tr tur Turkish; ts tso Tsonga; tt tat Tatar; tw twi Twi; ty tah Tahitian; ug uig Uighur; uk ukr
Ukrainian; ur urd Urdu; uz uzb Uzbek; ve ven Venda; vi vie Vietnamese; vo vol Volapük; wa wln Walloon; wo wol Wolof;
xh xho Xhosa; yi yid Yiddish; yo yor Yoruba; za zha Zhuang; zh zho chi Chinese; zu zul Zulu
"""
_THREE_LETTER = """\
ace ach ada ady afa afh ain akk ale alg alt ang anp apa arc arn arp art arw ast ath aus awa bad bai bal ban bas bat
bej bem ber bho bik bin bla bnt bra btk bua bug byn cad cai car cau ceb cel chb chg chk chm chn cho chp chr chy cmc
cnr cop cpe cpf cpp crh crp csb cus dak dar day del den dgr din doi dra dsb dua dum dyu efi egy eka elx enm ewo fan
fat fil fiu fon frm fro frr frs fur gaa gay gba gem gez gil gmh goh gon gor got grb grc gsw gwi hai haw hil him hit
hmn hsb hup iba ijo ilo inc ine inh ira iro jbo jpr jrb kaa kab kac kam kar kaw kbd kha khi kho kmb kok kos kpe krc
krl kro kru kum kut lad lah lam lez lol loz lua lui lun luo lus mad mag mai mak man map mas mdf mdr men mga mic min
mkh mnc mni mno moh mos mun mus mwl mwr myn myv nah nai nap nds new nia nic niu nog non nqo nso nub nwc nym nyn nyo
nzi osa ota oto paa pag pal pam pap pau peo phi phn pon pra pro raj rap rar roa rom rup sad sah sai sal sam sas sat
scn sco sel sem sga sgn shn sid sio sit sla sma smi smj smn sms snk sog son srn srr ssa suk sus sux syc syr tai tem
ter tet tig tiv tkl tlh tli tmh tog tpi tsi tum tup tut tvl tyv udm uga umb vai vot wak wal war was wen xal yao yap
ypk zap zbl zen zgh znd zun zza
"""

#: ISO 639-3 codes of languages of the region with none in ISO 639-2: Central Kurdish (Sorani), Eastern and
#: Hill Mari.
EXTRA_THREE_LETTER = frozenset(["ckb", "mhr", "mrj"])


def _two_letter() -> tuple[dict[str, str], dict[str, str]]:
    """The English name of each two-letter code, and the two-letter code of its three-letter forms."""
    names, shorter = {}, {}
    for entry in " ".join(_TWO_LETTER.split()).split("; "):
        codes = [word for word in entry.split()[:3] if len(word) == 3 and word.islower()]
        code = entry[:2]
        names[code] = entry.split(" ", 1 + len(codes))[-1]
        shorter.update(dict.fromkeys(codes, code))
    return names, shorter


#: "kk" → "Kazakh"; "kaz" → "kk" (ISO 639-2/T and /B codes that BCP 47 writes with two letters).
NAMES, TWO_LETTER_OF = _two_letter()
THREE_LETTER = frozenset(_THREE_LETTER.split()) | EXTRA_THREE_LETTER


#: Languages whose writing is never hyphenated (the Arabic and Hebrew scripts, Thaana; Chinese, Japanese and
#: Korean break lines otherwise): no patterns is no news, so no note.
NEVER_HYPHENATED = frozenset(["ar", "fa", "ur", "ps", "sd", "ckb", "ug", "he", "iw", "yi", "dv", "zh", "ja", "ko"])


def primary(lang: str) -> str:
    """The language of a tag, its first subtag: `ro-MD` → `ro`."""
    return lang.split("-")[0].lower()


def is_language(lang: str) -> bool:
    """Whether the tag's primary subtag is an ISO 639 code of a language (not a country's code, not a slip)."""
    code = primary(lang)
    return code in NAMES or code in THREE_LETTER


def hyphenation_patterns(lang: str) -> str | None:
    """pyphen's dictionary for the tag (`be`, `ro`, `en_GB`), or None where it has none (`kk`, `ka`, `hy`)."""
    return pyphen.language_fallback(lang.replace("-", "_"))


def load_hyphenation(langs: set[str]) -> None:
    """Read the languages' hyphenation patterns into this process (pyphen keeps them): the build does it before
    it forks its workers, so that they inherit the patterns; else each fresh worker read its own (0.1 s for
    English, paid again by every worker of --jobs N and by every rebuild under `serve`)."""
    for lang in sorted(langs):
        if hyphenation_patterns(lang) is not None:
            pyphen.Pyphen(lang=hyphenation_patterns(lang))


def hyphenation_note(lang: str) -> list[str]:
    """The one line a build says about a document whose language pyphen has no patterns for (else none).

    A note rather than an error: the text is right without hyphenation, only more ragged (or, justified, more
    loosely spaced); the author may want to know why.

    >>> hyphenation_note("kk")
    ['Kazakh (lang: kk) has no hyphenation patterns in samizdat: the text is set without hyphenation']
    >>> hyphenation_note("be"), hyphenation_note("ro-MD"), hyphenation_note("ar")
    ([], [], [])
    """
    if hyphenation_patterns(lang) is not None or primary(lang) in NEVER_HYPHENATED:
        return []
    name = NAMES.get(primary(lang), "this language")
    return [f"{name} (lang: {lang}) has no hyphenation patterns in samizdat: the text is set without hyphenation"]
