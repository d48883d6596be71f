"""The demo's content: the people, places and fields its mentors are made from, and the three
mentors written by hand. Plain English content, never marked for translation; the code that
turns it into mentors is in demo/mentors.py.
"""

import unicodedata
from dataclasses import dataclass

from mentor247.lib.languages import Proficiency
from mentor247.mentors.domain import OfferingTerms, ProfileDetails


@dataclass(frozen=True)
class DemoMentor:
    """Everything needed to create one demo mentor, as plain data."""

    email: str
    name: str
    language: str  # the interface language of the account
    details: ProfileDetails
    offerings: tuple[OfferingTerms, ...]
    colour: tuple[int, int, int]

    @property
    def initials(self) -> str:
        words = self.name.split()
        letters = [_ascii_letter(word) for word in (words[0], words[-1])] if words else []
        return "".join(letters).upper()


def _ascii_letter(word: str) -> str:
    # The default font draws only ASCII; "Émilie" gives "E", a letter without one gives "".
    base = unicodedata.normalize("NFKD", word)
    return next((ch for ch in base if ch.isascii() and ch.isalpha()), "")


# People and places ---------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    """Names that go together with a first language."""

    language: str
    given: tuple[str, ...]
    family: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    country: str  # ISO 3166-1 alpha-2
    time_zone: str
    cities: tuple[str, ...]
    currencies: tuple[str, ...]  # the first is the usual one
    peoples: tuple[People, ...]
    second: tuple[str, ...]  # languages people there often speak besides their first
    price_factor: float = 1.0  # local prices against a US mentor's


_AMERICAN = People(
    "en",
    (
        "Emily", "Marcus", "Jasmine", "Tyler", "Rachel", "Andre", "Megan", "Daniel", "Keisha",
        "Brandon", "Hannah", "Kevin", "Lauren", "Jamal",
    ),
    (
        "Johnson", "Nguyen", "Williams", "Brooks", "Goldberg", "O'Connor", "Washington",
        "Chen", "Miller", "Kim", "Sullivan", "Carter", "Park", "Reed",
    ),
)  # fmt: skip
_LATIN_AMERICAN = People(
    "es",
    ("Alejandra", "Luis", "Gabriela", "Javier", "Valentina", "Andrés", "Camila", "Mateo",
     "Daniela", "Santiago", "Lucía", "Diego"),
    ("Hernández", "Ramírez", "Torres", "Morales", "Castillo", "Vargas", "Rojas", "Gómez",
     "Ortiz", "Mendoza", "Silva", "Navarro"),
)  # fmt: skip
_BRITISH = People(
    "en",
    ("Oliver", "Amelia", "Harriet", "James", "Imogen", "Callum", "Priya", "Tom", "Sophie",
     "Rhys", "Fiona", "Yusuf", "Eleanor", "Niall"),
    ("Hughes", "Clarke", "Patel", "Evans", "Thompson", "MacLeod", "Ahmed", "Fletcher",
     "Davies", "Okoye", "Walsh", "Bennett"),
)  # fmt: skip
_IRISH = People(
    "en",
    ("Aoife", "Cian", "Siobhán", "Darragh", "Niamh", "Eoin", "Róisín", "Conor"),
    ("Murphy", "Byrne", "Kelly", "O'Brien", "Gallagher", "Doyle", "Kavanagh", "Fitzgerald"),
)  # fmt: skip
_CANADIAN = People(
    "en",
    ("Ava", "Liam", "Chloe", "Ethan", "Maya", "Noah", "Zoe", "Arjun", "Grace", "Owen"),
    ("MacDonald", "Singh", "Campbell", "Wong", "Anderson", "Fraser", "Lee", "Murray"),
)  # fmt: skip
_QUEBECOIS = People(
    "fr",
    ("Émilie", "Mathieu", "Julie", "Olivier", "Geneviève", "Félix", "Catherine", "Samuel"),
    ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Lavoie", "Pelletier"),
)  # fmt: skip
_AUSTRALIAN = People(
    "en",
    ("Isla", "Jack", "Matilda", "Lachlan", "Ruby", "Hamish", "Mei", "Angus", "Tahlia",
     "Nikos", "Ella", "Riley"),
    ("Walker", "Nguyen", "Mitchell", "Papadopoulos", "Kelly", "Robertson", "Tran",
     "Harrison", "Ryan", "Stewart"),
)  # fmt: skip
_KIWI = People(
    "en",
    ("Aroha", "Finn", "Manaia", "Georgia", "Tama", "Olivia", "Wiremu", "Charlotte"),
    ("Ngata", "Wilson", "Parata", "Taylor", "Henare", "Brown", "Tipene", "Thomson"),
)  # fmt: skip
_SPANISH = People(
    "es",
    ("Lucía", "Pablo", "Marta", "Álvaro", "Carmen", "Sergio", "Elena", "Javier", "Nuria",
     "Iker", "Paula", "Jordi"),
    ("García", "Martínez", "López", "Sánchez", "Romero", "Navarro", "Ruiz", "Iglesias",
     "Serrano", "Puig", "Echeverría", "Molina"),
)  # fmt: skip
_PORTUGUESE = People(
    "pt",
    ("Inês", "Tiago", "Mariana", "Rui", "Beatriz", "João", "Sofia", "Duarte"),
    ("Ferreira", "Santos", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Pereira"),
)  # fmt: skip
_BRAZILIAN = People(
    "pt",
    ("Larissa", "Rafael", "Juliana", "Thiago", "Fernanda", "Gustavo", "Camila", "Bruno",
     "Letícia", "Felipe", "Aline", "Caio"),
    ("Silva", "Souza", "Almeida", "Barbosa", "Carvalho", "Ribeiro", "Nascimento", "Lima",
     "Araújo", "Moreira", "Teixeira", "Cavalcanti"),
)  # fmt: skip
_FRENCH = People(
    "fr",
    ("Camille", "Julien", "Léa", "Thomas", "Manon", "Antoine", "Chloé", "Mehdi", "Sarah",
     "Nicolas", "Inès", "Baptiste"),
    ("Dubois", "Lefebvre", "Moreau", "Laurent", "Girard", "Benali", "Fontaine", "Mercier",
     "Rousseau", "Diallo", "Bernard", "Chevalier"),
)  # fmt: skip
_GERMAN = People(
    "de",
    ("Anna", "Jonas", "Lena", "Felix", "Katharina", "Lukas", "Miriam", "Tobias", "Elif",
     "Maximilian", "Johanna", "Deniz"),
    ("Müller", "Schmidt", "Wagner", "Hoffmann", "Becker", "Yilmaz", "Schulz", "Koch",
     "Richter", "Neumann", "Wolf", "Krüger"),
)  # fmt: skip
_ITALIAN = People(
    "it",
    ("Giulia", "Marco", "Chiara", "Luca", "Francesca", "Alessandro", "Elisa", "Matteo"),
    ("Rossi", "Bianchi", "Ferrari", "Esposito", "Romano", "Colombo", "Ricci", "Greco"),
)  # fmt: skip
_DUTCH = People(
    "nl",
    ("Sanne", "Daan", "Femke", "Bram", "Lotte", "Jeroen", "Noor", "Thijs"),
    ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"),
)  # fmt: skip
_SWEDISH = People(
    "sv",
    ("Elsa", "Oskar", "Maja", "Erik", "Linnea", "Axel", "Astrid", "Viktor"),
    ("Andersson", "Lindqvist", "Johansson", "Berg", "Nilsson", "Holm", "Eriksson", "Sandberg"),
)  # fmt: skip
_POLISH = People(
    "pl",
    ("Agnieszka", "Piotr", "Zofia", "Tomasz", "Katarzyna", "Marcin", "Magda", "Kamil"),
    ("Nowak", "Kowalska", "Wiśniewski", "Zielińska", "Kamiński", "Lewandowska", "Wójcik",
     "Mazur"),
)  # fmt: skip
_TURKISH = People(
    "tr",
    ("Zeynep", "Emre", "Elif", "Burak", "Ayşe", "Mert", "Selin", "Can"),
    ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"),  # noqa: RUF001 - Turkish dotless i
)  # fmt: skip
_NEPALI = People(
    "ne",
    ("Aarati", "Bikash", "Sushmita", "Pramod", "Anisha", "Rojan", "Sabina", "Niraj",
     "Pratiksha", "Suman", "Kritika", "Dipendra"),
    ("Shrestha", "Gurung", "Thapa", "Adhikari", "Karki", "Maharjan", "Rai", "Tamang",
     "Bhattarai", "Pokharel", "Joshi", "Magar"),
)  # fmt: skip
_HINDI = People(
    "hi",
    ("Rahul", "Priyanka", "Aditya", "Neha", "Ankit", "Shreya", "Vikram", "Pooja", "Rohan",
     "Kavita"),
    ("Sharma", "Gupta", "Singh", "Mehta", "Verma", "Agarwal", "Chauhan", "Kapoor", "Saxena",
     "Malhotra"),
)  # fmt: skip
_TAMIL = People(
    "ta",
    ("Karthik", "Lakshmi", "Divya", "Arvind", "Meenakshi", "Senthil", "Janani", "Vignesh"),
    ("Iyer", "Krishnan", "Subramanian", "Natarajan", "Ramaswamy", "Venkatesan", "Sundaram",
     "Balasubramanian"),
)  # fmt: skip
_BENGALI = People(
    "bn",
    ("Ananya", "Sourav", "Debjani", "Arnab", "Ishita", "Ritwik", "Moumita", "Sayan"),
    ("Banerjee", "Chatterjee", "Mukherjee", "Das", "Sen", "Ghosh", "Bose", "Dutta"),
)  # fmt: skip
_MARATHI = People(
    "mr",
    ("Aditi", "Omkar", "Sayali", "Ninad", "Gauri", "Tejas", "Mrunal", "Aniket"),
    ("Kulkarni", "Deshpande", "Patil", "Gokhale", "Joshi", "Bhosale", "Apte", "Shinde"),
)  # fmt: skip
_TELUGU = People(
    "te",
    ("Sai", "Harika", "Srinivas", "Keerthi", "Venkat", "Sravani", "Praveen", "Lavanya"),
    ("Reddy", "Rao", "Naidu", "Varma", "Chowdary", "Prasad", "Goud", "Murthy"),
)  # fmt: skip
_MALAYALI = People(
    "ml",
    ("Anjali", "Arun", "Aswathy", "Nikhil", "Reshma", "Jithin", "Sreeja", "Vishnu"),
    ("Nair", "Menon", "Pillai", "Varghese", "Kurian", "Thomas", "Panicker", "Joseph"),
)  # fmt: skip
_URDU = People(
    "ur",
    ("Ayesha", "Bilal", "Hira", "Usman", "Sana", "Hamza", "Mehwish", "Faisal"),
    ("Khan", "Qureshi", "Siddiqui", "Malik", "Chaudhry", "Butt", "Hashmi", "Sheikh"),
)  # fmt: skip
_BANGLADESHI = People(
    "bn",
    ("Nusrat", "Tanvir", "Farzana", "Rakib", "Sadia", "Imran", "Tahmina", "Mahfuz"),
    ("Rahman", "Hossain", "Islam", "Ahmed", "Chowdhury", "Karim", "Sarker", "Akter"),
)  # fmt: skip
_JAPANESE = People(
    "ja",
    ("Yuki", "Haruto", "Aiko", "Kenji", "Sakura", "Takumi", "Naoko", "Ren", "Mei", "Daisuke"),
    ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi",
     "Yamamoto", "Kato"),
)  # fmt: skip
_KOREAN = People(
    "ko",
    ("Ji-woo", "Min-jun", "Seo-yeon", "Do-hyun", "Ha-eun", "Joon-ho", "Soo-ah", "Hyun-woo"),
    ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"),
)  # fmt: skip
_CHINESE = People(
    "zh-hans",
    ("Wei", "Xiaoling", "Hao", "Jing", "Lei", "Yan", "Zhiyuan", "Mengyao", "Tao", "Ruoxi"),
    ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"),
)  # fmt: skip
_SINGAPOREAN = People(
    "en",
    ("Wei Ling", "Darren", "Nur Aisyah", "Kumar", "Hui Min", "Marcus", "Siti", "Jun Jie"),
    ("Tan", "Lim", "Rahman", "Pillai", "Ng", "Goh", "Ismail", "Teo"),
)  # fmt: skip
_INDONESIAN = People(
    "id",
    ("Putri", "Budi", "Dewi", "Agus", "Ayu", "Rizky", "Sari", "Hendra"),
    ("Santoso", "Wijaya", "Hidayat", "Kusuma", "Pratama", "Lestari", "Saputra", "Halim"),
)  # fmt: skip
_VIETNAMESE = People(
    "vi",
    ("Linh", "Minh", "Thao", "Quang", "Huong", "Tuan", "Mai", "Duc"),
    ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"),
)  # fmt: skip
_FILIPINO = People(
    "en",
    ("Maria Clara", "Paolo", "Bea", "Miguel", "Trisha", "Carlo", "Kristine", "Jericho"),
    ("Santos", "Reyes", "Cruz", "Bautista", "Villanueva", "Mendoza", "Aquino", "Dela Cruz"),
)  # fmt: skip
_ARABIC = People(
    "ar",
    ("Layla", "Omar", "Noor", "Khalid", "Mariam", "Yousef", "Rania", "Tariq", "Salma",
     "Karim", "Hana", "Fadi"),
    ("Haddad", "Al-Masri", "Nasser", "Khoury", "Mansour", "Saleh", "Al-Amin", "Farouk",
     "Hamdan", "Aziz", "Barakat", "Zayed"),
)  # fmt: skip
_NIGERIAN = People(
    "en",
    ("Chiamaka", "Tunde", "Ngozi", "Emeka", "Funmilayo", "Ifeanyi", "Zainab", "Segun",
     "Adaeze", "Kelechi", "Halima", "Babatunde"),
    ("Adebayo", "Okonkwo", "Eze", "Balogun", "Chukwu", "Bello", "Nwosu", "Adeyemi",
     "Ogunleye", "Obi", "Ibrahim", "Okeke"),
)  # fmt: skip
_KENYAN = People(
    "sw",
    ("Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Kiprop", "Wambui", "Mwangi"),
    ("Kariuki", "Odhiambo", "Mutua", "Chebet", "Wafula", "Njoroge", "Kiplagat", "Omondi"),
)  # fmt: skip
_SOUTH_AFRICAN = People(
    "en",
    ("Thandiwe", "Pieter", "Lerato", "Sipho", "Anika", "Thabo", "Naledi", "Ruan"),
    ("Nkosi", "van der Merwe", "Dlamini", "Botha", "Mokoena", "Naidoo", "Khumalo", "Pillay"),
)  # fmt: skip

EU_SECOND = ("en", "fr", "de", "es")

REGIONS: tuple[Region, ...] = (
    Region("NP", "Asia/Kathmandu", ("Kathmandu", "Pokhara", "Lalitpur"), ("NPR", "USD"),
           (_NEPALI,), ("en", "hi"), 0.35),
    Region("IN", "Asia/Kolkata", ("Bengaluru", "Delhi", "Gurugram", "Jaipur"), ("INR", "USD"),
           (_HINDI,), ("en",), 0.4),
    Region("IN", "Asia/Kolkata", ("Chennai", "Coimbatore"), ("INR",), (_TAMIL,), ("en", "hi"),
           0.4),
    Region("IN", "Asia/Kolkata", ("Kolkata",), ("INR",), (_BENGALI,), ("en", "hi"), 0.4),
    Region("IN", "Asia/Kolkata", ("Pune", "Mumbai"), ("INR", "USD"), (_MARATHI,), ("en", "hi"),
           0.4),
    Region("IN", "Asia/Kolkata", ("Hyderabad",), ("INR",), (_TELUGU,), ("en", "hi"), 0.4),
    Region("IN", "Asia/Kolkata", ("Kochi", "Thiruvananthapuram"), ("INR",), (_MALAYALI,),
           ("en", "hi"), 0.4),
    Region("PK", "Asia/Karachi", ("Karachi", "Lahore", "Islamabad"), ("USD",), (_URDU,),
           ("en",), 0.5),
    Region("BD", "Asia/Dhaka", ("Dhaka", "Chittagong"), ("USD",), (_BANGLADESHI,), ("en",), 0.5),
    Region("GB", "Europe/London", ("London", "Manchester", "Bristol", "Leeds", "Glasgow"),
           ("GBP",), (_BRITISH,), ("fr", "es", "de"), 0.9),
    Region("IE", "Europe/Dublin", ("Dublin", "Cork", "Galway"), ("EUR",), (_IRISH,),
           ("fr", "ga", "de"), 0.9),
    Region("US", "America/Los_Angeles", ("San Francisco", "Los Angeles", "Seattle", "Portland"),
           ("USD",), (_AMERICAN, _LATIN_AMERICAN), ("es", "zh-hans", "ko", "vi")),
    Region("US", "America/New_York", ("New York", "Boston", "Atlanta", "Washington"), ("USD",),
           (_AMERICAN, _LATIN_AMERICAN), ("es", "fr")),
    Region("US", "America/Chicago", ("Chicago", "Austin", "Minneapolis", "Houston"), ("USD",),
           (_AMERICAN, _LATIN_AMERICAN), ("es",)),
    Region("US", "America/Denver", ("Denver", "Salt Lake City", "Boulder"), ("USD",),
           (_AMERICAN,), ("es", "de")),
    Region("US", "Pacific/Honolulu", ("Honolulu",), ("USD",), (_AMERICAN,), ("ja",)),
    Region("CA", "America/Toronto", ("Toronto", "Ottawa"), ("CAD",), (_CANADIAN,), ("fr",)),
    Region("CA", "America/Toronto", ("Montréal", "Québec"), ("CAD",), (_QUEBECOIS,), ("en",)),
    Region("CA", "America/Vancouver", ("Vancouver", "Victoria"), ("CAD",), (_CANADIAN,),
           ("fr", "zh-hans")),
    Region("CA", "America/St_Johns", ("St. John's", "Corner Brook"), ("CAD",), (_CANADIAN,),
           ("fr",)),
    Region("CA", "America/Halifax", ("Halifax",), ("CAD",), (_CANADIAN,), ("fr",)),
    Region("AU", "Australia/Adelaide", ("Adelaide",), ("AUD",), (_AUSTRALIAN,), ("it", "el")),
    Region("AU", "Australia/Sydney", ("Sydney", "Canberra"), ("AUD",), (_AUSTRALIAN,),
           ("zh-hans", "vi", "el")),
    Region("AU", "Australia/Melbourne", ("Melbourne",), ("AUD",), (_AUSTRALIAN,), ("it", "el")),
    Region("AU", "Australia/Perth", ("Perth",), ("AUD",), (_AUSTRALIAN,), ("id",)),
    Region("NZ", "Pacific/Auckland", ("Auckland", "Wellington", "Christchurch"), ("AUD", "USD"),
           (_KIWI,), ("fr", "ja")),
    Region("ES", "Europe/Madrid", ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"),
           ("EUR",), (_SPANISH,), ("en", "fr", "ca"), 0.8),
    Region("PT", "Europe/Lisbon", ("Lisbon", "Porto", "Braga"), ("EUR",), (_PORTUGUESE,),
           ("en", "es", "fr"), 0.7),
    Region("FR", "Europe/Paris", ("Paris", "Lyon", "Toulouse", "Nantes", "Lille"), ("EUR",),
           (_FRENCH,), ("en", "es", "ar"), 0.85),
    Region("DE", "Europe/Berlin", ("Berlin", "Munich", "Hamburg", "Cologne", "Leipzig"),
           ("EUR",), (_GERMAN,), ("en", "tr", "fr"), 0.9),
    Region("IT", "Europe/Rome", ("Milan", "Rome", "Turin", "Bologna", "Naples"), ("EUR",),
           (_ITALIAN,), ("en", "fr", "es"), 0.8),
    Region("NL", "Europe/Amsterdam", ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"),
           ("EUR",), (_DUTCH,), ("en", "de"), 0.9),
    Region("SE", "Europe/Stockholm", ("Stockholm", "Gothenburg", "Malmö"), ("EUR",),
           (_SWEDISH,), ("en", "de"), 0.9),
    Region("PL", "Europe/Warsaw", ("Warsaw", "Kraków", "Wrocław", "Gdańsk"), ("EUR",),
           (_POLISH,), ("en", "de"), 0.6),
    Region("TR", "Europe/Istanbul", ("Istanbul", "Ankara", "İzmir"), ("EUR", "USD"),
           (_TURKISH,), ("en", "de"), 0.5),
    Region("MX", "America/Mexico_City", ("Mexico City", "Guadalajara", "Puebla"),
           ("MXN", "USD"), (_LATIN_AMERICAN,), ("en",), 0.55),
    Region("CO", "America/Bogota", ("Bogotá", "Medellín", "Cali"), ("USD",), (_LATIN_AMERICAN,),
           ("en",), 0.5),
    Region("AR", "America/Argentina/Buenos_Aires", ("Buenos Aires", "La Plata", "Rosario"),
           ("USD",), (_LATIN_AMERICAN,), ("en", "it", "pt"), 0.5),
    Region("CL", "America/Santiago", ("Santiago", "Valparaíso"), ("USD",), (_LATIN_AMERICAN,),
           ("en",), 0.55),
    Region("BR", "America/Sao_Paulo", ("São Paulo", "Rio de Janeiro", "Belo Horizonte",
           "Curitiba", "Porto Alegre"), ("BRL", "USD"), (_BRAZILIAN,), ("en", "es"), 0.5),
    Region("JP", "Asia/Tokyo", ("Tokyo", "Osaka", "Kyoto", "Fukuoka"), ("JPY",), (_JAPANESE,),
           ("en",), 0.85),
    Region("KR", "Asia/Seoul", ("Seoul", "Busan", "Pangyo"), ("USD",), (_KOREAN,), ("en", "ja"),
           0.75),
    Region("CN", "Asia/Shanghai", ("Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu"),
           ("USD",), (_CHINESE,), ("en",), 0.6),
    Region("SG", "Asia/Singapore", ("Singapore",), ("USD",), (_SINGAPOREAN,),
           ("zh-hans", "ms", "ta"), 0.9),
    Region("ID", "Asia/Jakarta", ("Jakarta", "Bandung", "Surabaya"), ("USD",), (_INDONESIAN,),
           ("en",), 0.45),
    Region("VN", "Asia/Ho_Chi_Minh", ("Ho Chi Minh City", "Da Nang"), ("USD",), (_VIETNAMESE,),
           ("en",), 0.45),
    Region("PH", "Asia/Manila", ("Manila", "Cebu", "Davao"), ("USD",), (_FILIPINO,), ("es",),
           0.45),
    Region("AE", "Asia/Dubai", ("Dubai", "Abu Dhabi"), ("USD",), (_ARABIC,), ("en", "fr")),
    Region("EG", "Africa/Cairo", ("Cairo", "Alexandria"), ("USD", "EUR"), (_ARABIC,),
           ("en", "fr"), 0.45),
    Region("MA", "Africa/Casablanca", ("Casablanca", "Rabat", "Marrakesh"), ("EUR",),
           (_ARABIC,), ("fr", "en"), 0.5),
    Region("NG", "Africa/Lagos", ("Lagos", "Abuja", "Ibadan", "Enugu"), ("USD",), (_NIGERIAN,),
           ("fr", "ig"), 0.45),
    Region("KE", "Africa/Nairobi", ("Nairobi", "Mombasa", "Kisumu"), ("USD",), (_KENYAN,),
           ("en",), 0.45),
    Region("ZA", "Africa/Johannesburg", ("Johannesburg", "Cape Town", "Durban"), ("USD",),
           (_SOUTH_AFRICAN,), ("af",), 0.55),
)  # fmt: skip

# How many of a currency one US dollar buys, roughly; and the step prices are rounded to.
USD_RATES = {
    "USD": 1.0,
    "EUR": 0.92,
    "GBP": 0.79,
    "INR": 83.0,
    "JPY": 150.0,
    "BRL": 5.0,
    "CAD": 1.36,
    "AUD": 1.5,
    "MXN": 17.0,
    "NPR": 133.0,
}
PRICE_STEPS = {"INR": 100, "NPR": 100, "JPY": 500, "MXN": 50, "BRL": 10}


# Fields of mentoring ----------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    tags: tuple[str, ...]
    roles: tuple[str, ...]  # "a backend engineer", after "I am" / "worked as"
    employers: tuple[str, ...]
    headlines: tuple[str, ...]
    helps: tuple[str, ...]
    single_titles: tuple[str, ...]  # each with the topic of the same place in single_topics
    package_titles: tuple[str, ...]
    single_topics: tuple[str, ...]
    package_topics: tuple[str, ...]  # in the order a package would take them
    results: tuple[str, ...]
    not_included: tuple[str, ...]
    usd_hour: tuple[int, int]


FIELDS: tuple[Field, ...] = (
    Field(
        "software",
        ("Software engineering", "Python", "JavaScript", "TypeScript", "System design",
         "Backend development", "Frontend development", "Cloud infrastructure", "DevOps",
         "Technical interviews", "Mobile development", "Go", "Java", "Kubernetes"),
        ("a backend engineer", "a staff software engineer", "a frontend developer",
         "a mobile developer", "a site reliability engineer", "a full-stack developer",
         "a platform engineer"),
        ("a payments start-up", "a logistics company", "an online travel agency",
         "a healthcare software company", "a large bank's platform team", "a games studio",
         "a public broadcaster", "an open-source foundation"),
        ("From junior to senior engineer: code, design and the habits in between",
         "System design and technical interviews, practised until they feel normal",
         "Backend engineer helping self-taught developers land their first role",
         "Accessible, fast front ends with plain HTML, CSS and TypeScript",
         "Site reliability and cloud infrastructure without the buzzwords",
         "Mobile apps from first idea to store release"),
        ("I help developers with one to five years of experience write code their teammates "
         "enjoy reviewing.",
         "We can work through system design questions the way they come up in real interviews: "
         "vague at first, then detailed.",
         "If you are self-taught or come from a bootcamp, I can help you fill the gaps that "
         "interviews tend to probe.",
         "I review real pull requests with you and explain the reasoning behind each comment.",
         "I like helping people move from closing tickets to owning a part of the system.",
         "We can plan a way into cloud infrastructure that fits the hours you actually have."),
        ("Code review of your project", "Mock technical interview", "System design practice",
         "Career check-in for developers"),
        ("Interview preparation for software engineers", "From junior to mid-level engineer",
         "Cloud fundamentals, step by step"),
        ("A live review of a pull request or side project you choose",
         "A mock coding interview with written feedback",
         "One system design question, worked through together",
         "Your next career step as a developer"),
        ("Reading and reviewing code with a checklist",
         "Data structures that come up in interviews",
         "Designing an API for a real product",
         "Databases: indexes, transactions and trade-offs",
         "Testing strategy for a small service",
         "Debugging in production: logs, metrics and traces",
         "A mock system design interview",
         "Writing a design document your team will read"),
        ("A clear list of what to practise next, in order of payoff.",
         "More confidence explaining trade-offs out loud in an interview.",
         "Feedback on your code that you can apply the same day.",
         "A portfolio project that shows the skills employers ask for."),
        ("Writing your take-home assignment for you.",
         "A referral or a guaranteed interview at my employer.",
         "Fixing your production incident while you are on call."),
        (40, 160),
    ),
    Field(
        "product",
        ("Product management", "Product discovery", "Roadmapping", "Product strategy",
         "Stakeholder management", "Product manager interviews", "B2B SaaS", "Product analytics"),
        ("a product manager", "a senior product manager", "a head of product",
         "a group product manager", "a product owner"),
        ("a fintech scale-up", "an e-commerce marketplace", "a B2B software company",
         "a ride-hailing app", "a digital health company", "a media streaming service"),
        ("Product management, from first job to head of product",
         "Discovery that changes what you build, not just what you say",
         "Preparing for product manager interviews with real case practice",
         "Roadmaps and stakeholders: saying no without losing trust",
         "Moving into product management from engineering, design or sales"),
        ("I help new product managers find their feet in the first ninety days.",
         "We can rehearse product sense and execution interviews with cases from real products.",
         "I help people coming from engineering, design or support make the move into product.",
         "Together we can turn a wish-list roadmap into one built on outcomes and evidence.",
         "I coach on running customer interviews that surface what people actually do."),
        ("Product manager interview practice", "Roadmap review", "Career conversation about "
         "product management"),
        ("Your first ninety days as a product manager", "Product discovery in practice",
         "Breaking into product management"),
        ("A product sense interview, practised and debriefed",
         "A review of your roadmap or strategy document",
         "Where you are in your product career and what comes next"),
        ("Writing a problem statement the team agrees on",
         "Customer interviews: planning, running and synthesising",
         "Prioritisation frameworks and when to ignore them",
         "Metrics that tell you whether it worked",
         "Working with engineering and design as equals",
         "Presenting a roadmap to leadership",
         "A mock execution interview",
         "Handling a launch that went wrong"),
        ("A roadmap or document you can take to your team next week.",
         "Clearer answers to product interview questions, with structure.",
         "A plan for your first three months in a new product role."),
        ("A job offer: no mentor can promise one.",
         "Writing your product requirements for you.",
         "Decisions that belong to your manager or your team."),
        (50, 180),
    ),
    Field(
        "design",
        ("UX design", "UI design", "UX research", "Design systems", "Portfolio reviews",
         "Accessibility", "Figma", "Interaction design", "Service design"),
        ("a product designer", "a UX researcher", "a senior interaction designer",
         "a design lead", "a service designer"),
        ("a consumer banking app", "a design agency", "a government digital service",
         "a travel booking site", "an edtech company", "a furniture retailer"),
        ("Portfolio reviews that get you to the interview stage",
         "UX research on a small budget: interviews, tests and synthesis",
         "Design systems that teams actually use",
         "Accessible interface design, from colour contrast to screen readers",
         "From graphic design to product design"),
        ("I review portfolios and help you tell the story behind each project, not just show "
         "screens.",
         "We can plan a usability test together and practise running it.",
         "I help designers explain their decisions to engineers and product managers.",
         "If you are moving from graphic or visual design into product design, I have made that "
         "move myself.",
         "I care about accessibility and can help you build it into your process from day one."),
        ("Portfolio review", "Design critique of your current project", "UX career check-in"),
        ("Build a case-study portfolio", "UX research foundations", "Design systems in practice"),
        ("A detailed review of your portfolio with notes you keep",
         "A critique of a flow you are designing now",
         "Planning your next step as a designer"),
        ("Choosing the projects that show your best thinking",
         "Writing a case study: problem, process, outcome",
         "Planning a usability test",
         "Running interviews without leading questions",
         "Accessibility checks you can do in an afternoon",
         "Components, tokens and documentation",
         "Presenting design work to stakeholders",
         "A mock portfolio presentation"),
        ("A portfolio with two or three case studies that read clearly.",
         "A research plan you can run with real users.",
         "Honest feedback on where your work stands against the roles you want."),
        ("Designing screens for your client or employer.",
         "A guarantee that your portfolio will get you hired.",
         "Teaching the basics of a design tool from scratch."),
        (40, 140),
    ),
    Field(
        "data",
        ("Data science", "Machine learning", "SQL", "Data analysis", "Statistics",
         "Data engineering", "Python", "Deep learning", "Data visualisation"),
        ("a data scientist", "a machine learning engineer", "a data analyst",
         "an analytics lead", "a data engineer"),
        ("an insurance company", "a streaming service", "a retail chain", "a climate-tech "
         "start-up", "a public health agency", "a sports analytics firm"),
        ("Data science careers: from analyst to machine learning engineer",
         "SQL, statistics and storytelling for data analysts",
         "Machine learning interviews and projects that stand out",
         "Data engineering: pipelines that do not wake you up at night",
         "Making sense of data for people who did not study statistics"),
        ("I help analysts who know SQL take the next step into statistics and machine learning.",
         "We can review a portfolio project and make the write-up as strong as the model.",
         "I practise machine learning interviews with you, from basics to system design.",
         "I help people from research, finance or engineering move into data roles.",
         "We can work on explaining results to people who will never read your notebook."),
        ("Review of your data project", "Mock data science interview",
         "SQL and analytics clinic"),
        ("Machine learning interview preparation", "Becoming a data analyst",
         "From notebook to production"),
        ("A review of a notebook or dashboard you built",
         "A mock interview with statistics and SQL questions",
         "Your path into a data role"),
        ("SQL beyond the basics: window functions and query plans",
         "Statistics you will actually use: tests, intervals and pitfalls",
         "Framing a business question as a data problem",
         "Feature engineering and validation",
         "Model evaluation and explaining it to non-specialists",
         "Pipelines, scheduling and data quality",
         "A mock machine learning system design interview",
         "Presenting an analysis in ten minutes"),
        ("A project write-up that shows how you think, not only what you built.",
         "Steadier answers to statistics and SQL interview questions.",
         "A learning plan matched to the data roles you are applying for."),
        ("Doing your coursework or paid analysis for you.",
         "Access to my employer's data or tools.",
         "A promise that a particular model will reach a particular score."),
        (45, 170),
    ),
    Field(
        "marketing",
        ("Digital marketing", "SEO", "Content marketing", "Growth marketing", "Brand strategy",
         "Social media", "Performance marketing", "Email marketing", "Marketing analytics"),
        ("a marketing manager", "a growth marketer", "a content strategist", "a brand director",
         "an SEO consultant"),
        ("a consumer electronics brand", "a language-learning app", "an outdoor clothing "
         "company", "a marketing agency", "a charity", "a subscription box start-up"),
        ("Growth marketing for early-stage products on small budgets",
         "SEO and content that brings the right readers",
         "Brand strategy for founders and first marketing hires",
         "Moving from agency to in-house marketing",
         "Performance marketing without wasting the budget"),
        ("I help first marketing hires set priorities when everything seems urgent.",
         "We can audit your site's SEO together and agree the three fixes that matter most.",
         "I coach people moving from agency life to in-house roles, and the other way round.",
         "We can build a content calendar that a team of one can keep up.",
         "I help founders find words for their product that customers recognise."),
        ("Marketing plan review", "SEO audit walkthrough", "Marketing career conversation"),
        ("Build a 90-day marketing plan", "Content marketing that compounds",
         "Growth experiments, step by step"),
        ("A review of your marketing plan or campaign",
         "An SEO walkthrough of your website",
         "Your next move in marketing"),
        ("Who the customer is, in their own words",
         "Positioning and messaging",
         "Choosing two channels and ignoring the rest",
         "Content calendar and editorial process",
         "Search: keywords, structure and links",
         "Setting up experiments and reading the results",
         "Budgets, attribution and reporting",
         "Presenting results to leadership"),
        ("A marketing plan with clear priorities and measures.",
         "A list of fixes for your website, in order of impact.",
         "A clearer picture of the marketing roles that fit you."),
        ("Running your ads or social accounts for you.",
         "A guaranteed number of followers, leads or sales.",
         "Buying links or any tactic that breaks a platform's rules."),
        (35, 130),
    ),
    Field(
        "finance",
        ("Corporate finance", "Investment banking", "Financial modelling", "Accounting",
         "Venture capital", "Financial planning and analysis", "CFA preparation", "Fintech",
         "Personal finance"),
        ("a financial analyst", "a finance director", "an investment banker",
         "a chartered accountant", "a venture capital associate", "a portfolio manager"),
        ("a global investment bank", "a Big Four accounting firm", "a private equity fund",
         "a renewable energy developer", "a venture capital firm", "a consumer goods company"),
        ("Breaking into investment banking and private equity",
         "Financial modelling, from three statements to valuation",
         "From accountant to finance business partner",
         "Finance careers for career changers",
         "CFA exams and the finance job market"),
        ("I help students and career changers prepare for finance interviews, technical and "
         "behavioural.",
         "We can build or review a three-statement model together, line by line.",
         "I coach accountants who want to move into commercial finance roles.",
         "I help founders read their own numbers and prepare for conversations with investors.",
         "We can plan your CFA study around a full-time job."),
        ("Finance interview practice", "Model review", "Finance career conversation"),
        ("Investment banking interview preparation", "Financial modelling bootcamp",
         "From accounting to FP&A"),
        ("A technical finance interview, practised and debriefed",
         "A review of a financial model you built",
         "Your next step in a finance career"),
        ("Accounting questions every interviewer asks",
         "Building a three-statement model",
         "Valuation: comparables and discounted cash flow",
         "Walking through a deal on your CV",
         "Budgeting and forecasting for a business unit",
         "Presenting numbers to people who are not in finance",
         "A mock superday interview",
         "Networking without feeling fake"),
        ("Cleaner models and the ability to explain every line of them.",
         "Confident answers to the technical questions that screen candidates out.",
         "A realistic plan for moving into the finance role you want."),
        ("Personal investment advice or tips on what to buy or sell.",
         "Preparing your tax return or company accounts.",
         "Introductions that bypass a firm's hiring process."),
        (60, 220),
    ),
    Field(
        "law",
        ("Legal careers", "Contract law", "Corporate law", "Intellectual property",
         "Employment law", "Law school applications", "Legal writing", "Technology law",
         "Immigration law"),
        ("a corporate lawyer", "an in-house counsel", "a barrister", "a solicitor",
         "an intellectual property attorney", "a legal operations manager"),
        ("an international law firm", "a technology company's legal team", "a human rights "
         "charity", "a public prosecutor's office", "a boutique IP practice", "a university law "
         "clinic"),
        ("Law school, training contracts and the first years of practice",
         "From private practice to in-house counsel",
         "Legal writing that judges and clients both read",
         "Careers in technology and intellectual property law",
         "Alternative legal careers: operations, policy and compliance"),
        ("I help law students prepare applications and interviews for firms and chambers.",
         "We can work on legal drafting: clear contracts, memos and submissions.",
         "I mentor junior lawyers on managing partners, clients and a heavy workload.",
         "If you are thinking of leaving practice, I can walk you through the paths I have seen "
         "colleagues take.",
         "I help people from other countries understand how legal careers work here."),
        ("Legal career conversation", "Application and interview practice",
         "Drafting clinic"),
        ("Preparing for law firm applications", "The first year as a junior lawyer",
         "Moving in-house"),
        ("Your route into law, or your next move within it",
         "A mock interview for a firm, chambers or in-house role",
         "A review of a piece of your legal writing"),
        ("Choosing between practice areas",
         "Applications and cover letters that read well",
         "Commercial awareness for interviews",
         "Drafting a short contract clause by clause",
         "Writing a memo a partner can use",
         "Managing supervisors and deadlines",
         "Building a network without a family one",
         "A mock assessment centre"),
        ("Stronger applications and clearer answers about why you chose law.",
         "Drafting habits that save your readers time.",
         "A realistic picture of the paths open to you."),
        ("Legal advice on your own case or business: I mentor on careers and skills, not as "
         "your lawyer.",
         "Reviewing documents you need to sign.",
         "A training contract or pupillage offer."),
        (80, 250),
    ),
    Field(
        "health",
        ("Medical careers", "Residency applications", "Nursing", "Public health",
         "Medical school applications", "Clinical research", "Global health", "Pharmacy",
         "Health informatics"),
        ("a doctor in internal medicine", "a paediatric nurse", "an emergency physician",
         "a public health specialist", "a clinical pharmacist", "a general practitioner",
         "a clinical research coordinator"),
        ("a university hospital", "a regional health service", "an international NGO",
         "a children's hospital", "a community clinic", "a pharmaceutical research site"),
        ("Medical school and residency applications, from personal statement to interview",
         "Nursing careers: specialities, night shifts and moving abroad",
         "Public health careers in government, NGOs and research",
         "Working as a doctor in another country: exams, licences and culture",
         "From clinical work to health technology"),
        ("I help pre-medical and medical students with applications and interviews.",
         "We can plan the exams and paperwork for working as a doctor or nurse in another "
         "country.",
         "I mentor nurses choosing a speciality or thinking about leadership roles.",
         "I help clinicians who are curious about research, public health or health tech.",
         "We can talk honestly about burnout, rotas and how people in medicine cope."),
        ("Medical career conversation", "Mock residency interview", "Personal statement review"),
        ("Residency application preparation", "Preparing to practise abroad",
         "Public health career planning"),
        ("Your next step in a health career",
         "A mock interview for medical school or residency",
         "A review of your personal statement"),
        ("Choosing a speciality that fits your life",
         "Personal statements that sound like you",
         "Interview stations and ethics questions",
         "Exams and licences for working abroad",
         "Research experience: finding it and talking about it",
         "Leadership and teamwork on the ward",
         "A mock multiple mini interview",
         "Looking after yourself during training"),
        ("A clearer personal statement and a list of interview answers to practise.",
         "A step-by-step plan of exams and paperwork for the country you are aiming for.",
         "A better sense of which speciality or role suits you."),
        ("Medical advice about your own health or anyone else's.",
         "Exam questions from live papers, or anything that breaks exam rules.",
         "A place in a programme: decisions belong to the programmes."),
        (40, 150),
    ),
    Field(
        "research",
        ("PhD applications", "Academic writing", "Grant writing", "Academic careers",
         "Research methods", "Leaving academia", "Peer review", "Statistics for research",
         "Scientific publishing"),
        ("a professor of molecular biology", "a postdoctoral researcher in economics",
         "a lecturer in sociology", "a research scientist in physics",
         "an associate professor of linguistics", "a research software engineer"),
        ("a research university", "a national laboratory", "a medical research institute",
         "a policy think tank", "a technical university", "an environmental research centre"),
        ("PhD applications and the first year of a doctorate",
         "Academic writing: papers, theses and getting them finished",
         "Grant proposals that reviewers want to fund",
         "From academia to industry without starting over",
         "The academic job market, explained plainly"),
        ("I help prospective PhD students choose supervisors and write research proposals.",
         "We can work on a paper or thesis chapter that has been stuck for months.",
         "I mentor early-career researchers through the academic job market.",
         "I help researchers translate their skills for jobs in industry, policy or data.",
         "We can plan a grant proposal from the specific aims to the budget."),
        ("Research career conversation", "Proposal review", "Writing clinic"),
        ("PhD application support", "Finish your thesis chapter", "Leaving academia"),
        ("Your next step in or out of academia",
         "A review of your research proposal",
         "A writing session on a paper or chapter"),
        ("Choosing a research question and a supervisor",
         "Writing a research proposal",
         "Reading and citing efficiently",
         "Structuring a paper or thesis chapter",
         "Responding to reviewers",
         "Grant budgets and timelines",
         "Academic CVs and teaching statements",
         "Translating research skills for industry"),
        ("A proposal or chapter that is clearer and closer to done.",
         "A realistic timeline for your application or thesis.",
         "A sense of which careers your research training opens."),
        ("Writing or rewriting your thesis for you.",
         "Admission to a programme or a grant award.",
         "Supervision in place of your own supervisor."),
        (25, 100),
    ),
    Field(
        "entrepreneurship",
        ("Entrepreneurship", "Fundraising", "Pitch decks", "Start-up strategy",
         "Go-to-market", "Bootstrapping", "Early-stage hiring", "Business models",
         "Social enterprise"),
        ("a founder", "a two-time founder", "an angel investor", "a start-up advisor",
         "a founder and chief executive"),
        ("a food delivery start-up I sold", "a software company I still run", "an accelerator "
         "programme", "a social enterprise", "a hardware start-up", "a family business"),
        ("Founders' questions answered by someone who has made the mistakes",
         "Fundraising: pitch decks, investor meetings and term sheets",
         "From idea to first paying customers",
         "Bootstrapping a profitable business without investors",
         "Social enterprises that pay their way"),
        ("I help first-time founders test an idea before spending their savings on it.",
         "We can rehearse your investor pitch and tighten your deck slide by slide.",
         "I help founders hire their first five people and keep them.",
         "If you are choosing between raising money and growing slowly, I have done both.",
         "I mentor founders of social enterprises on pricing and impact."),
        ("Pitch deck review", "Founder check-in", "Idea validation call"),
        ("Fundraising preparation", "From idea to first customers",
         "Founder support for the first year"),
        ("A review of your pitch deck, slide by slide",
         "An open conversation about your company's biggest problem right now",
         "Testing your idea against real customer evidence"),
        ("The problem, the customer and the evidence",
         "Pricing and the first sales",
         "Business model and unit economics",
         "The pitch: story, numbers and ask",
         "Investor meetings and follow-ups",
         "Term sheets in plain language",
         "Hiring the first people",
         "Founder habits that last"),
        ("A sharper pitch and a list of investor questions you can answer.",
         "A plan to find your first ten customers.",
         "Decisions made with clearer evidence."),
        ("Investment from me or introductions to investors.",
         "Legal or tax advice on your company's structure.",
         "Writing your business plan for you."),
        (60, 250),
    ),
    Field(
        "writing",
        ("Creative writing", "Fiction", "Non-fiction", "Copywriting", "Technical writing",
         "Journalism", "Getting published", "Editing", "Screenwriting"),
        ("a novelist", "a journalist", "a technical writer", "an editor", "a copywriter",
         "a screenwriter"),
        ("a national newspaper", "a literary agency", "a software documentation team",
         "a publishing house", "an advertising agency", "a television production company"),
        ("Finish the draft: fiction and memoir with a working novelist",
         "Technical writing careers and documentation people read",
         "Copywriting that sounds like a person, not a brochure",
         "Journalism: pitching, reporting and freelancing",
         "From manuscript to literary agent"),
        ("I help writers build a routine that gets a draft finished.",
         "We can edit a chapter together and talk through every change.",
         "I mentor people moving into technical writing from support, teaching or engineering.",
         "I coach freelance journalists on pitching editors and getting paid on time.",
         "We can prepare a query letter and synopsis for literary agents."),
        ("Manuscript feedback", "Writing career conversation", "Edit of a short piece"),
        ("Finish your first draft", "Getting published", "Becoming a technical writer"),
        ("Feedback on ten pages of your writing",
         "Your next step as a writer",
         "An edit of a short piece, explained line by line"),
        ("What the story is about, in two sentences",
         "Structure: beginnings, middles and endings",
         "Voice and point of view",
         "Revision without losing heart",
         "Editing for clarity and rhythm",
         "Pitches and query letters",
         "Working with editors",
         "Building a writing routine"),
        ("A clearer draft and a plan for the next revision.",
         "A query letter or pitch ready to send.",
         "Writing habits that survive a busy week."),
        ("Ghostwriting or rewriting your work for you.",
         "A publishing contract or an agent: I cannot promise either.",
         "Proofreading a whole manuscript."),
        (30, 120),
    ),
    Field(
        "music",
        ("Music production", "Piano", "Guitar", "Songwriting", "Music careers",
         "Audio engineering", "Music theory", "Singing", "Film scoring"),
        ("a music producer", "a session guitarist", "a piano teacher and performer",
         "a songwriter", "a sound engineer", "a composer for film and games"),
        ("a recording studio", "a conservatoire", "an independent record label",
         "a touring band", "a games studio's audio team", "a community music school"),
        ("Music production and mixing: from bedroom demos to release",
         "Songwriting feedback from a working songwriter",
         "Building a music career: gigs, releases and income",
         "Piano and music theory for adult learners",
         "Composing for film and games"),
        ("I listen to your demos and give specific notes on arrangement and mix.",
         "We can plan a release: distribution, artwork, pitching and promotion.",
         "I help musicians build a mix of income from teaching, gigs and licensing.",
         "I mentor adult learners who want to play piano or understand theory at last.",
         "We can work on a portfolio for film and game music briefs."),
        ("Demo feedback", "Music career conversation", "Song review"),
        ("Release your first record", "Songwriting workshop", "Scoring for picture"),
        ("Notes on a demo or mix you send beforehand",
         "Your next step as a musician",
         "A review of a song's structure and lyrics"),
        ("Where your music sits and who it is for",
         "Arrangement: what to add and what to take away",
         "Mixing basics: balance, space and loudness",
         "Lyrics and melody",
         "Planning a release",
         "Booking gigs and working with venues",
         "Income streams: teaching, sync and royalties",
         "A listening session with detailed feedback"),
        ("Specific notes to improve a track, with the reasons behind them.",
         "A release plan you can follow week by week.",
         "A clearer idea of how working musicians make a living."),
        ("Mixing or mastering your tracks for you.",
         "Introductions to labels or placements on playlists.",
         "Instrument lessons from the very beginning."),
        (25, 100),
    ),
    Field(
        "leadership",
        ("Engineering management", "Leadership", "People management", "Hiring", "Team building",
         "Executive coaching", "First-time managers", "Giving feedback", "Remote teams"),
        ("an engineering manager", "a director of engineering", "a chief operating officer",
         "a team lead", "a vice president of people"),
        ("a cloud software company", "a fast-growing marketplace", "a public hospital group",
         "a global consultancy", "a remote-first start-up", "a telecoms operator"),
        ("First-time managers: one-to-ones, feedback and the hard conversations",
         "Engineering management without losing touch with the work",
         "Leading remote teams across time zones",
         "Hiring well: interviews, scorecards and offers",
         "From manager to leader of managers"),
        ("I help new managers through their first year: one-to-ones, feedback and priorities.",
         "We can prepare for a difficult conversation and rehearse it.",
         "I mentor managers of remote teams spread over many time zones.",
         "I help leaders design hiring processes that are fair and quick.",
         "We can work on your own growth: delegation, visibility and saying no."),
        ("Leadership check-in", "Difficult conversation rehearsal", "Hiring process review"),
        ("Your first year as a manager", "Leading a remote team", "Becoming a manager of "
         "managers"),
        ("A management problem you are facing this week",
         "Rehearsing a difficult conversation",
         "A review of your team's hiring process"),
        ("Your role as a manager, and what you stop doing",
         "One-to-ones that people look forward to",
         "Giving and receiving feedback",
         "Setting goals with the team",
         "Hiring: interviews and decisions",
         "Handling underperformance fairly",
         "Managing upwards",
         "Looking after yourself as a leader"),
        ("A plan for your next difficult conversation, and the words to start it.",
         "Habits for one-to-ones and feedback you can use from Monday.",
         "More confidence in the management decisions that are yours to make."),
        ("Making decisions that belong to you or your organisation.",
         "Human resources or legal advice about a particular employee.",
         "Therapy: I can recommend looking for a professional if that is what you need."),
        (70, 220),
    ),
    Field(
        "careers",
        ("Career change", "Job search", "CV writing", "Interview preparation",
         "Salary negotiation", "Working abroad", "LinkedIn profiles", "Career planning",
         "Returning to work"),
        ("a recruiter", "a career coach", "a talent acquisition lead", "a human resources "
         "business partner", "a hiring manager"),
        ("a global recruitment agency", "a university careers service", "a large retailer's "
         "people team", "a technology company's recruiting team", "an outplacement firm"),
        ("Changing careers at any age, one practical step at a time",
         "CVs, interviews and negotiation, from someone who has hired hundreds",
         "Finding work abroad: visas, CVs and culture",
         "Returning to work after a break",
         "Your first job after university"),
        ("I help career changers find the skills they already have that employers want.",
         "We can rewrite your CV so each line shows a result.",
         "I run mock interviews and give the feedback interviewers rarely share.",
         "I help people plan a move to another country, from job search to first day.",
         "We can prepare for a salary negotiation, including what to say when they say no."),
        ("CV review", "Mock interview", "Career direction conversation"),
        ("Career change plan", "Job search preparation", "Interview coaching"),
        ("A review of your CV with concrete rewrites",
         "A mock interview for a role you are applying to",
         "A conversation about which direction to take"),
        ("What you want, and what you will not compromise on",
         "Your transferable skills, named",
         "A CV and profile that match the roles",
         "Finding roles that are not advertised",
         "Interview stories that show results",
         "A mock interview",
         "Negotiating the offer",
         "Your first ninety days in the new job"),
        ("A CV and profile tailored to the roles you want.",
         "Interview answers that are specific and short.",
         "A job search plan with weekly steps."),
        ("A job: no mentor can promise one.",
         "Writing your applications for you.",
         "Immigration or legal advice about visas."),
        (30, 120),
    ),
)  # fmt: skip

INTROS = (
    "I am {role} with {years} years of experience, most recently at {employer} in {city}.",
    "For {years} years I have worked as {role}; today I am at {employer}, based in {city}.",
    "Based in {city}, I have been {role} for {years} years, including time at {employer}.",
    "I have spent {years} years as {role}, the last few at {employer} in {city}.",
    "My work as {role} has taken {years} years so far, at {employer} and before that at "
    "smaller teams around {city}.",
)
STYLES = (
    "My sessions are practical: we start from your situation and end with one or two concrete "
    "actions.",
    "I ask a lot of questions before I give advice, because the right answer depends on where "
    "you are.",
    "Expect honest, kind feedback, and homework only if you want it.",
    "I keep notes of what we agree, so each session starts where the last one ended.",
    "We set a goal in the first session and look at it again every time after that.",
    "I share the templates and examples I have used myself, not generic advice.",
    "I will encourage you, and I will also tell you when something is not working yet.",
    "Bring your questions; no question is too basic, and it is fine to ask me to repeat.",
)
# Words from other fields, mentioned in passing, so that search has to rank by where a word
# appears and not only whether it does.
ASIDES = (
    ("music", "Outside work I play bass in a small jazz band, which taught me more about "
     "listening than any course."),
    ("music", "I have sung in a choir for years; rehearsals are where I learned to give and "
     "take feedback."),
    ("software", "I taught myself enough Python to automate the dull parts of my job, and I "
     "enjoy showing others how."),
    ("data", "I like data more than most: I track everything from my running to my reading "
     "in a spreadsheet."),
    ("finance", "I read annual reports for fun and have helped many friends set up their "
     "first budget."),
    ("writing", "I write a small newsletter about what I learn, and I encourage mentees to "
     "write too."),
    ("health", "At weekends I volunteer as a first-aid instructor."),
    ("research", "I once started a PhD in linguistics and still read research papers on the "
     "train."),
    ("entrepreneurship", "I co-founded a small bakery with a friend, so I know what running a "
     "business on thin margins feels like."),
    ("design", "I sketch a lot, and I often draw a diagram with mentees instead of talking in "
     "the abstract."),
    ("marketing", "A side project of mine, a podcast about city cycling, taught me a "
     "surprising amount about marketing."),
    ("product", "I borrow habits from product management: small experiments, honest metrics "
     "and regular reviews."),
    ("leadership", "I coach a youth football team, which is leadership practice of its own "
     "kind."),
    ("careers", "I changed careers myself in my thirties, so I know how uncertain that feels."),
    ("law", "I serve on the board of a tenants' association, where I have learned to read a "
     "contract carefully."),
)  # fmt: skip

FREE_INTRO = OfferingTerms(
    title="Free 30-minute introduction",
    description="A short first conversation to see whether we are a good fit and whether "
    "mentoring can help with what you want to achieve.",
    session_count=1,
    session_minutes=30,
    price=0,
    plan=("Getting to know each other and what you hope mentoring will change",),
    expected_results="A shared understanding of your goal, and whether I am the right mentor "
    "for it.",
    not_included="Detailed feedback on your work; that needs a full session.",
)
SINGLE_DESCRIPTIONS = (
    "One {minutes}-minute video session on mentor247, focused on the topic you choose. Send "
    "me what you would like to look at a day or two before, so we can use every minute.",
    "A single {minutes}-minute session for a focused question. We agree what you want to "
    "leave with in the first five minutes, and I send the action items afterwards.",
    "{minutes} minutes, one topic, practical advice. Good for a first meeting or a one-off "
    "question.",
)
PACKAGE_DESCRIPTIONS = (
    "{count} sessions of {minutes} minutes, about a week or two apart, each building on the "
    "last. Between sessions you try things out; in each session we look at what happened.",
    "A structured series of {count} sessions of {minutes} minutes with a plan for each one. "
    "We adjust the plan as we go if your situation changes.",
    "{count} x {minutes} minutes over about {weeks} weeks: enough time to practise, get "
    "feedback and practise again.",
)
PACKAGES = ((3, 60), (6, 45), (4, 60), (5, 45), (3, 90), (8, 30))
OPENING_TOPIC = "Where you are now, where you want to be, and how we will work"
CLOSING_TOPIC = "Review of progress and your plan for the months ahead"
GENERIC_NOT_INCLUDED = (
    "Sessions or payments arranged outside mentor247.",
    "Results that depend on decisions other people make.",
)


# The three named demo mentors, written by hand ------------------------------------------------

NAMED_MENTORS: tuple[DemoMentor, ...] = (
    DemoMentor(
        email="amara@mentor247.test",
        name="Amara Okafor",
        language="en",
        details=ProfileDetails(
            headline="Product management, from first job to head of product",
            bio=(
                "I am a head of product at a fintech company in Lagos, where my teams build "
                "savings and payment tools used by small traders. Before that I was a software "
                "tester, a business analyst and a product owner, so I know several of the roads "
                "into product management.\n\n"
                "I mentor new product managers and people who want to become one: how to run "
                "discovery with real customers, write a problem statement the team believes "
                "in, and present a roadmap without promising dates you cannot keep.\n\n"
                "I am direct and warm. We start each session with what went well since the "
                "last one, and we end with one thing you will try before the next."
            ),
            expertise=("Product management", "Product discovery", "Career change"),
            years_of_experience=12,
            languages=(("en", Proficiency.NATIVE), ("ig", Proficiency.NATIVE)),
            country="NG",
            time_zone="Africa/Lagos",
            currency="USD",
        ),
        offerings=(
            OfferingTerms(
                title="Product career conversation",
                description="One hour on where you are in product management, or how to get "
                "there, and the next step that makes sense for you.",
                session_count=1,
                session_minutes=60,
                price=6000,
                plan=("Your path into or within product management",),
                expected_results="A next step you can take this month, and the reasoning "
                "behind it.",
                not_included="A job offer or a referral.",
            ),
            OfferingTerms(
                title="Your first ninety days as a product manager: 3 x 60 minutes",
                description="Three sessions over your first weeks in a new product role, "
                "each with homework you do in your real job.",
                session_count=3,
                session_minutes=60,
                price=15000,
                plan=(
                    "Mapping your product, team and stakeholders",
                    "Customer interviews you run yourself, planned together",
                    "Your first roadmap conversation with leadership",
                ),
                expected_results="A clearer picture of your product and a plan for your first "
                "quarter that your manager has seen.",
                not_included="Decisions that belong to your manager or your team. Sessions or "
                "payments arranged outside mentor247.",
            ),
            FREE_INTRO,
        ),
        colour=(15, 118, 110),
    ),
    DemoMentor(
        email="diego@mentor247.test",
        name="Diego Fernández",
        language="es",
        details=ProfileDetails(
            headline="Backend engineering and system design, in Spanish or English",
            bio=(
                "I am a backend engineer. I have built payment and booking systems for "
                "fifteen years, most recently as a staff engineer at a travel company in "
                "Madrid, working in Python and Go on PostgreSQL.\n\n"
                "I help developers prepare for system design interviews and grow from "
                "mid-level to senior: designing APIs, choosing what to store where, and "
                "explaining trade-offs clearly. Many of my mentees are in Latin America and "
                "want to work for companies abroad; we can practise interviews in English at "
                "a pace that suits you.\n\n"
                "Away from the keyboard I play flamenco guitar, badly but happily."
            ),
            expertise=("Backend development", "System design", "Python", "Technical interviews"),
            years_of_experience=15,
            languages=(
                ("es", Proficiency.NATIVE),
                ("en", Proficiency.FLUENT),
                ("ca", Proficiency.CONVERSATIONAL),
            ),
            country="ES",
            time_zone="Europe/Madrid",
            currency="EUR",
        ),
        offerings=(
            OfferingTerms(
                title="System design practice",
                description="One system design question, worked through as in a real "
                "interview, with written feedback afterwards.",
                session_count=1,
                session_minutes=90,
                price=9000,
                plan=("One system design question, worked through together",),
                expected_results="Written feedback on structure, trade-offs and communication, "
                "with what to practise next.",
                not_included="Questions from a particular company's live interviews.",
            ),
            OfferingTerms(
                title="Interview preparation for backend engineers: 6 x 45 minutes",
                description="Six weekly sessions mixing coding, system design and behavioural "
                "questions, with a plan for each.",
                session_count=6,
                session_minutes=45,
                price=22500,
                plan=(
                    "Where you are now, where you want to be, and how we will work",
                    "Data structures that come up in interviews",
                    "Designing an API for a real product",
                    "Databases: indexes, transactions and trade-offs",
                    "A mock system design interview",
                    "Review of progress and your plan for the months ahead",
                ),
                expected_results="Steadier interview answers and a list of your strong and weak "
                "spots.",
                not_included="A guaranteed offer. Writing your take-home assignment for you.",
            ),
        ),
        colour=(180, 83, 9),
    ),
    DemoMentor(
        email="priya@mentor247.test",
        name="Priya Raman",
        language="en",
        details=ProfileDetails(
            headline="Data science and machine learning careers, from analyst to ML engineer",
            bio=(
                "I lead a machine learning team at a health insurance company in Bengaluru. "
                "I started as a data analyst writing SQL reports, moved into data science, "
                "and now spend my time on models that help process claims faster and more "
                "fairly.\n\n"
                "I mentor analysts who want to move into data science, and data scientists "
                "preparing for machine learning interviews. We can review your portfolio "
                "project, practise statistics and SQL questions, or plan what to learn next "
                "so your evenings are not wasted.\n\n"
                "I mentor in English and Tamil, and some Hindi. I speak slowly and I am happy "
                "to repeat anything.\n\n"
                "I also sing Carnatic music, which taught me that practice beats talent."
            ),
            expertise=("Data science", "Machine learning", "SQL", "Statistics"),
            years_of_experience=10,
            languages=(
                ("en", Proficiency.FLUENT),
                ("ta", Proficiency.NATIVE),
                ("hi", Proficiency.CONVERSATIONAL),
            ),
            country="IN",
            time_zone="Asia/Kolkata",
            currency="INR",
        ),
        offerings=(
            OfferingTerms(
                title="Review of your data project",
                description="Send me a notebook or dashboard beforehand; we go through it "
                "together for an hour.",
                session_count=1,
                session_minutes=60,
                price=250000,
                plan=("A review of a notebook or dashboard you built",),
                expected_results="Concrete improvements to the project and its write-up.",
                not_included="Doing your coursework or paid analysis for you.",
            ),
            OfferingTerms(
                title="Machine learning interview preparation: 4 x 60 minutes",
                description="Four sessions covering statistics, SQL, modelling and a mock "
                "machine learning design interview.",
                session_count=4,
                session_minutes=60,
                price=900000,
                plan=(
                    "Where you are now, where you want to be, and how we will work",
                    "Statistics you will actually use: tests, intervals and pitfalls",
                    "A mock machine learning system design interview",
                    "Review of progress and your plan for the months ahead",
                ),
                expected_results="More confident answers in data science interviews and a "
                "study plan for the gaps we find.",
                not_included="A job: no mentor can promise one.",
            ),
        ),
        colour=(67, 56, 202),
    ),
)
