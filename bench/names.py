"""Names and towns for the benchmark register, with rough weights so that common names are
common (a search for "smith" has to cope with tens of thousands of matches) and rare ones rare.

The care workforce in England is mostly women and draws on many countries, so the lists do too:
British names first, then names common among care workers from South Asia, Africa, the
Philippines and Eastern Europe. A few carry accents and apostrophes to exercise normalisation.
"""

# fmt: off
# (name, weight). Weights are relative, roughly per 10,000 people.
FIRST_NAMES = [
    ("Sarah", 120), ("Emma", 110), ("Claire", 100), ("Laura", 100), ("Lisa", 95),
    ("Karen", 95), ("Nicola", 90), ("Michelle", 90), ("Rebecca", 85), ("Jessica", 80),
    ("Amy", 80), ("Hannah", 80), ("Samantha", 75), ("Rachel", 75), ("Gemma", 70),
    ("Charlotte", 70), ("Emily", 70), ("Sophie", 65), ("Chloe", 60), ("Lauren", 60),
    ("Kelly", 60), ("Joanne", 60), ("Julie", 60), ("Susan", 60), ("Helen", 55),
    ("Angela", 55), ("Deborah", 50), ("Tracey", 50), ("Donna", 50), ("Jennifer", 50),
    ("Victoria", 50), ("Katie", 50), ("Louise", 45), ("Natalie", 45), ("Stephanie", 45),
    ("Jade", 45), ("Leanne", 45), ("Kirsty", 40), ("Danielle", 40), ("Amanda", 40),
    ("Elizabeth", 40), ("Catherine", 40), ("Margaret", 35), ("Patricia", 35), ("Linda", 35),
    ("Janet", 30), ("Carol", 30), ("Diane", 30), ("Jacqueline", 30), ("Wendy", 30),
    ("Alison", 30), ("Lucy", 30), ("Ellie", 30), ("Megan", 30), ("Olivia", 25),
    ("Georgia", 25), ("Abigail", 25), ("Bethany", 25), ("Holly", 25), ("Jasmine", 20),
    ("Zoë", 15), ("Siân", 10), ("Chloë", 8), ("Niamh", 10), ("Aoife", 6), ("Siobhan", 10),
    ("Bronwen", 5), ("Eilidh", 4), ("Mairéad", 3),
    ("Mary", 60), ("Grace", 45), ("Joy", 25), ("Blessing", 25), ("Precious", 20),
    ("Faith", 20), ("Mercy", 15), ("Patience", 12), ("Chipo", 10), ("Tendai", 10),
    ("Rutendo", 8), ("Nokuthula", 6), ("Ngozi", 8), ("Chiamaka", 6), ("Adaeze", 5),
    ("Folasade", 5), ("Abena", 6), ("Akosua", 5), ("Esther", 20), ("Ruth", 20),
    ("Priya", 20), ("Anjali", 12), ("Pooja", 12), ("Sunita", 10), ("Neha", 10),
    ("Fatima", 20), ("Aisha", 18), ("Ayesha", 12), ("Nusrat", 8), ("Shabana", 8),
    ("Rubina", 8), ("Sabrina", 8),
    ("Maria", 40), ("Ana", 15), ("Rosario", 6), ("Marites", 5), ("Jocelyn", 6),
    ("Maricel", 5), ("Cristina", 10),
    ("Agnieszka", 12), ("Katarzyna", 12), ("Małgorzata", 6), ("Joanna", 15), ("Magdalena", 10),
    ("Ioana", 10), ("Elena", 12), ("Andreea", 8), ("Mihaela", 8), ("Daniela", 10),
    ("Oksana", 5), ("Iryna", 5),
    ("David", 35), ("John", 35), ("Michael", 30), ("James", 30), ("Daniel", 25),
    ("Paul", 25), ("Mark", 22), ("Christopher", 22), ("Andrew", 22), ("Thomas", 20),
    ("Matthew", 20), ("Richard", 18), ("Robert", 18), ("Steven", 15), ("Peter", 15),
    ("Ryan", 15), ("Jack", 15), ("Liam", 12), ("Callum", 10), ("Connor", 10),
    ("Mohammed", 20), ("Muhammad", 15), ("Ahmed", 10), ("Ali", 10), ("Imran", 8),
    ("Rajesh", 6), ("Sanjay", 6), ("Emmanuel", 12), ("Samuel", 12), ("Joseph", 12),
    ("Oluwaseun", 5), ("Chinedu", 5), ("Kwame", 5), ("Tatenda", 5), ("Tomasz", 8),
    ("Piotr", 8), ("Andrei", 6), ("Jose", 6), ("Rodel", 3), ("Seán", 4), ("Rhys", 6),
]

# Real frequencies for the most common surnames (per 10,000 people in England and Wales).
# In life these hundred cover about a fifth of people and tens of thousands of rarer names
# the rest; here the few hundred after them share that remainder evenly, which keeps "smith"
# at its real share (about 1.5%) while making the rare names commoner than they are.
COMMON_SURNAMES = [
    ("Smith", 126), ("Jones", 78), ("Williams", 59), ("Taylor", 45), ("Brown", 43),
    ("Davies", 39), ("Evans", 29), ("Wilson", 27), ("Thomas", 26), ("Johnson", 25),
    ("Roberts", 25), ("Robinson", 22), ("Thompson", 22), ("Wright", 22), ("Walker", 21),
    ("White", 20), ("Edwards", 19), ("Hughes", 19), ("Green", 19), ("Hall", 18),
    ("Lewis", 18), ("Harris", 18), ("Clarke", 17), ("Patel", 17), ("Jackson", 17),
    ("Wood", 16), ("Turner", 16), ("Martin", 15), ("Cooper", 15), ("Hill", 15),
    ("Ward", 14), ("Morris", 14), ("Moore", 14), ("Clark", 14), ("Lee", 14),
    ("King", 13), ("Baker", 13), ("Harrison", 13), ("Morgan", 13), ("Allen", 12),
    ("James", 12), ("Scott", 12), ("Phillips", 12), ("Watson", 11), ("Davis", 11),
    ("Parker", 11), ("Price", 11), ("Bennett", 11), ("Young", 11), ("Griffiths", 10),
    ("Mitchell", 10), ("Kelly", 10), ("Cook", 10), ("Carter", 10), ("Richardson", 10),
    ("Bailey", 10), ("Collins", 10), ("Bell", 10), ("Shaw", 9), ("Murphy", 9),
    ("Miller", 9), ("Cox", 9), ("Richards", 9), ("Khan", 9), ("Marshall", 9),
    ("Anderson", 9), ("Simpson", 8), ("Ellis", 8), ("Adams", 8), ("Singh", 8),
    ("Begum", 8), ("Wilkinson", 8), ("Foster", 8), ("Chapman", 8), ("Powell", 8),
    ("Webb", 8), ("Rogers", 8), ("Gray", 8), ("Mason", 8), ("Ali", 8),
    ("Hunt", 7), ("Hussain", 7), ("Campbell", 7), ("Matthews", 7), ("Owen", 7),
    ("Palmer", 7), ("Holmes", 7), ("Mills", 7), ("Barnes", 7), ("Knight", 7),
    ("Lloyd", 7), ("Butler", 7), ("Russell", 7), ("Barker", 7), ("Fisher", 7),
    ("Stevens", 7), ("Jenkins", 7), ("Murray", 7), ("Dixon", 7), ("Harvey", 7),
]
TAIL_SURNAMES = """
Ahmed Akhtar Ashworth Atkinson Austin Bains Ball Banks Barlow Barrett Bates Baxter Begley
Bibi Bishop Black Blake Bolton Bond Booth Bowen Boyle Bradley Bradshaw Brady Brennan Briggs
Brooks Bryant Buckley Bull Burke Burns Burrows Burton Byrne Caldwell Carr Carroll Cartwright
Chambers Charlton Chaudhry Clayton Coates Cole Coleman Connolly Conway Cooke Cross Cunningham
Curtis Dale Daly Daniels Dawson Day Dean Denton Dobson Doherty Doyle Duffy Duncan Dunn Farmer
Farrell Fernandes Field Finch Fletcher Flynn Ford Fowler Fox Francis Frost Fuller Gallagher
Gardner George Gibbons Gibson Gilbert Gill Glover Goodwin Gordon Graham Grant Greenwood Gregory
Griffin Hale Hamilton Hammond Hancock Hanson Hardy Harper Hart Hartley Hawkins Hayes Haynes
Heath Henderson Hewitt Hicks Higgins Hobbs Hodgson Holland Holt Hopkins Horton Houghton Howard
Howarth Howe Hudson Humphreys Hurst Hutchinson Iqbal Jarvis Jennings Johnston Kaur Kay Kemp
Kennedy Kent Kerr Kirby Kirk Lamb Lambert Lane Lawrence Lawson Leach Little Lord Lowe Lucas
Lynch Macdonald Mahmood Mann Marsh McCarthy McDonald McKenzie Mellor Metcalfe Miles Moran
Morton Moss Nash Naylor Newman Newton Nicholls Nicholson Norris Norton Oliver Osborne Page
Parkinson Parsons Payne Pearce Pearson Perkins Perry Pickering Pollard Poole Porter Potter
Pratt Preston Quinn Rahman Read Reid Reynolds Rhodes Riley Robertson Rose Ross Rowe Rowley
Ryan Sanders Saunders Sharp Sharma Shepherd Short Sims Slater Spencer Stanley Steele Stephens
Stewart Stone Storey Sullivan Sutton Swift Talbot Tucker Vaughan Wade Wall Walsh Walters Warren
Waters Watts Weaver Webster Welch Wells West Wheeler Whitehead Wiley Wilkins Willis Winter
Woods Woodward Yates Yusuf
Adeyemi Okafor Okonkwo Mensah Asante Boateng Owusu Moyo Ncube Dube Sibanda Chikwanha Mutasa
Banda Phiri Mwangi Otieno Abubakar Bello Eze Nwosu Adebayo Ogunleye Oyelaran
Santos Reyes Cruz Bautista Garcia Mendoza Ramos Villanueva Dela-Cruz Aquino Castillo Fernandez
Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamińska Lewandowska Zielińska Popescu Ionescu
Popa Stoica Dumitru Constantin Georgescu Nagy Horvath Kovacs Shevchenko Bondarenko Kovalenko
Gupta Kumar Shah Joshi Mistry Desai Chauhan Kaur Sandhu Dhillon Gill Rana Chopra Malik Butt
Raza Hussein Siddiqui Qureshi Mirza Uddin Islam Miah Chowdhury
O'Brien O'Connor O'Neill O'Sullivan O'Reilly O'Donnell D'Souza D'Costa Ní-Bhriain
Müller Muñoz Núñez Peña Gonçalves Sørensen Čapek Dvořák
""".split()
_COMMON = {name for name, _ in COMMON_SURNAMES}
SURNAMES = COMMON_SURNAMES + [
    (name, 20) for name in dict.fromkeys(TAIL_SURNAMES) if name not in _COMMON
]

# A few people use a middle name on the register; a few have a double-barrelled surname.
MIDDLE_NAME_SHARE = 0.2
DOUBLE_BARRELLED_SHARE = 0.03

# (town, weight): roughly by the number of care workers, which follows population.
TOWNS = [
    ("London", 900), ("Birmingham", 115), ("Leeds", 80), ("Sheffield", 58), ("Manchester", 55),
    ("Bradford", 54), ("Liverpool", 50), ("Bristol", 47), ("Kirklees", 44), ("Coventry", 37),
    ("Leicester", 36), ("Wakefield", 35), ("Nottingham", 33), ("Newcastle upon Tyne", 30),
    ("Sunderland", 28), ("Brighton and Hove", 28), ("Hull", 26), ("Plymouth", 26),
    ("Stoke-on-Trent", 26), ("Wolverhampton", 26), ("Derby", 26), ("Southampton", 25),
    ("Portsmouth", 21), ("Reading", 16), ("Milton Keynes", 27), ("Northampton", 22),
    ("Norwich", 14), ("Luton", 22), ("Swindon", 22), ("Peterborough", 20), ("Oxford", 15),
    ("Cambridge", 15), ("York", 21), ("Exeter", 13), ("Gloucester", 13), ("Ipswich", 14),
    ("Bournemouth", 19), ("Poole", 15), ("Blackpool", 14), ("Bolton", 29), ("Wigan", 33),
    ("Stockport", 29), ("Oldham", 24), ("Rochdale", 22), ("Salford", 26), ("Bury", 19),
    ("Doncaster", 31), ("Rotherham", 27), ("Barnsley", 25), ("Middlesbrough", 14),
    ("Stockton-on-Tees", 20), ("Darlington", 11), ("Durham", 10), ("Carlisle", 11),
    ("Lancaster", 14), ("Preston", 14), ("Blackburn", 15), ("Burnley", 9), ("Chester", 12),
    ("Warrington", 21), ("Crewe", 8), ("Shrewsbury", 8), ("Telford", 18), ("Worcester", 10),
    ("Hereford", 6), ("Lincoln", 10), ("Grimsby", 9), ("Scunthorpe", 8), ("Mansfield", 11),
    ("Chesterfield", 10), ("Colchester", 19), ("Chelmsford", 18), ("Southend-on-Sea", 18),
    ("Basildon", 18), ("Maidstone", 17), ("Canterbury", 16), ("Margate", 6), ("Dover", 6),
    ("Hastings", 9), ("Eastbourne", 10), ("Crawley", 12), ("Guildford", 15), ("Woking", 10),
    ("Slough", 15), ("Watford", 10), ("St Albans", 15), ("Stevenage", 9), ("Bedford", 17),
    ("Cheltenham", 12), ("Bath", 19), ("Taunton", 6), ("Torquay", 7), ("Truro", 5),
    ("Barnstaple", 3), ("Kendal", 3), ("Whitby", 1), ("Hebden Bridge", 1), ("Ledbury", 1),
    ("Bishop's Stortford", 4), ("King's Lynn", 5), ("Weston-super-Mare", 8),
]
# fmt: on

STREETS = [
    "High Street",
    "Station Road",
    "Main Street",
    "Park Road",
    "Church Road",
    "Church Street",
    "London Road",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Church Lane",
    "Park Avenue",
    "The Avenue",
    "The Crescent",
    "Queens Road",
    "New Road",
    "Grange Road",
    "Kings Road",
    "Alexandra Road",
    "Highfield Road",
    "Mill Lane",
    "School Lane",
    "Windsor Road",
    "York Road",
]

PUBLIC_CONDITIONS = [
    "Must work under the supervision of a senior care worker.",
    "Must not administer medication until a medication competency assessment is passed.",
    "Must complete safeguarding adults training within six months.",
    "Must tell the register of any new employer before starting work.",
]
PUBLIC_ANNOTATIONS = [
    "Level 3 Diploma in Adult Care.",
    "Level 5 Diploma in Leadership and Management for Adult Care.",
    "Specialist dementia care qualification.",
]
