"""Vocabularies for the demo warehouse, following ``bigquery-public-data.thelook_ecommerce``.

Kept apart from the generator so the generator reads as an algorithm. Weights are
relative (they need not sum to one) and deliberately skewed so that "top N"
questions over the demo data have clear answers.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- orders -----------------------------------------------------------------

# Order and order-item statuses with their share of orders. Orders placed in the
# last days of 2025 are moved to an earlier status when a later step would fall
# after the end of the data (see demo.py), so the shares shift slightly.
ORDER_STATUSES: tuple[tuple[str, float], ...] = (
    ("Shipped", 30), ("Complete", 25), ("Processing", 20), ("Cancelled", 15), ("Returned", 10),
)  # fmt: skip

# Items per order (1-4), mean about 1.45 as in the public dataset.
ITEMS_PER_ORDER: tuple[float, ...] = (0.70, 0.19, 0.07, 0.04)

# --- users --------------------------------------------------------------------

USER_TRAFFIC_SOURCES: tuple[tuple[str, float], ...] = (
    ("Search", 70), ("Organic", 15), ("Facebook", 6), ("Email", 5), ("Display", 4),
)  # fmt: skip

# The events table uses its own channel names in the public dataset.
EVENT_TRAFFIC_SOURCES: tuple[tuple[str, float], ...] = (
    ("Email", 45), ("Adwords", 30), ("Organic", 15), ("YouTube", 6), ("Facebook", 4),
)  # fmt: skip

BROWSERS: tuple[tuple[str, float], ...] = (
    ("Chrome", 50), ("Safari", 23), ("Firefox", 17), ("IE", 6), ("Other", 4),
)  # fmt: skip

FIRST_NAMES_F = _words(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie "
    "Rebecca Laura Sharon Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole "
    "Helen Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather "
    "Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan "
    "Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice"
)
FIRST_NAMES_M = _words(
    "James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
    "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
    "Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry "
    "Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy "
    "Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse"
)
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
    "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
    "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
    "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
    "Sanders Patel Myers Long Ross Foster Jimenez"
)
STREET_NAMES = _words(
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset River Church Highland "
    "Franklin Jefferson Lincoln Madison Jackson Spring Ridge Forest Meadow Willow Chestnut Walnut "
    "Valley Mill Bridge Harbor Orchard Cherry Birch Jasmine Summit Garden Prospect Union Center"
)
STREET_SUFFIXES = ("Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "Court", "Way")

# Country shares of users, close to the public dataset (China, United States and
# Brasil together hold about 70 %).
COUNTRIES: tuple[tuple[str, float], ...] = (
    ("China", 34.0), ("United States", 22.5), ("Brasil", 14.5), ("South Korea", 5.3),
    ("France", 4.7), ("United Kingdom", 4.6), ("Germany", 4.2), ("Spain", 4.0),
    ("Japan", 2.5), ("Australia", 2.2), ("Belgium", 1.2), ("Poland", 0.2),
    ("Colombia", 0.07), ("Austria", 0.05),
)  # fmt: skip

# country -> "state|city|postal_code|latitude|longitude|weight" lines; weights are
# relative within the country (roughly the city's population).
_PLACES: dict[str, str] = {
    "United States": """
California|Los Angeles|90012|34.05|-118.24|40
California|San Diego|92101|32.72|-117.16|14
California|San Jose|95112|37.34|-121.89|10
California|San Francisco|94103|37.77|-122.42|9
California|Sacramento|95814|38.58|-121.49|5
California|Fresno|93721|36.74|-119.79|5
California|Oakland|94607|37.80|-122.27|4
Texas|Houston|77002|29.76|-95.37|23
Texas|Dallas|75201|32.78|-96.80|13
Texas|San Antonio|78205|29.42|-98.49|15
Texas|Austin|78701|30.27|-97.74|10
Texas|Fort Worth|76102|32.75|-97.33|9
Texas|El Paso|79901|31.76|-106.49|7
New York|New York|10001|40.75|-73.99|45
New York|Brooklyn|11201|40.69|-73.99|12
New York|Buffalo|14202|42.89|-78.88|3
New York|Rochester|14604|43.16|-77.61|2
Florida|Miami|33130|25.77|-80.19|5
Florida|Orlando|32801|28.54|-81.38|3
Florida|Tampa|33602|27.95|-82.46|4
Florida|Jacksonville|32202|30.33|-81.66|9
Illinois|Chicago|60601|41.88|-87.62|27
Illinois|Aurora|60505|41.76|-88.32|2
Pennsylvania|Philadelphia|19103|39.95|-75.17|16
Pennsylvania|Pittsburgh|15222|40.44|-79.99|3
Ohio|Columbus|43215|39.96|-83.00|9
Ohio|Cleveland|44114|41.50|-81.69|4
Ohio|Cincinnati|45202|39.10|-84.51|3
Georgia|Atlanta|30303|33.75|-84.39|5
Georgia|Savannah|31401|32.08|-81.09|2
North Carolina|Charlotte|28202|35.23|-80.84|9
North Carolina|Raleigh|27601|35.78|-78.64|5
Michigan|Detroit|48226|42.33|-83.05|6
Michigan|Grand Rapids|49503|42.96|-85.67|2
New Jersey|Newark|07102|40.74|-74.17|3
New Jersey|Jersey City|07302|40.72|-74.05|3
Virginia|Virginia Beach|23451|36.85|-75.98|4
Virginia|Richmond|23219|37.54|-77.44|2
Washington|Seattle|98101|47.61|-122.33|7
Washington|Spokane|99201|47.66|-117.43|2
Arizona|Phoenix|85004|33.45|-112.07|16
Arizona|Tucson|85701|32.22|-110.97|5
Massachusetts|Boston|02108|42.36|-71.06|7
Massachusetts|Worcester|01608|42.26|-71.80|2
Tennessee|Nashville|37203|36.16|-86.78|7
Tennessee|Memphis|38103|35.15|-90.05|6
Indiana|Indianapolis|46204|39.77|-86.16|9
Missouri|Kansas City|64106|39.10|-94.58|5
Missouri|St. Louis|63101|38.63|-90.20|3
Maryland|Baltimore|21202|39.29|-76.61|6
Colorado|Denver|80202|39.74|-104.99|7
Colorado|Colorado Springs|80903|38.83|-104.82|5
Wisconsin|Milwaukee|53202|43.04|-87.91|6
Minnesota|Minneapolis|55401|44.98|-93.27|4
South Carolina|Charleston|29401|32.78|-79.93|2
South Carolina|Columbia|29201|34.00|-81.03|2
Alabama|Birmingham|35203|33.52|-86.80|2
Alabama|Mobile|36602|30.69|-88.04|2
Louisiana|New Orleans|70112|29.95|-90.07|4
Louisiana|Baton Rouge|70801|30.45|-91.19|2
Kentucky|Louisville|40202|38.25|-85.76|6
Oregon|Portland|97204|45.52|-122.68|6
Oklahoma|Oklahoma City|73102|35.47|-97.52|6
Oklahoma|Tulsa|74103|36.15|-95.99|4
Nevada|Las Vegas|89101|36.17|-115.14|6
Utah|Salt Lake City|84101|40.76|-111.89|2
Iowa|Des Moines|50309|41.59|-93.62|2
Connecticut|Hartford|06103|41.76|-72.68|1
Kansas|Wichita|67202|37.69|-97.34|4
Nebraska|Omaha|68102|41.26|-95.94|5
New Mexico|Albuquerque|87102|35.08|-106.65|5
Mississippi|Jackson|39201|32.30|-90.18|2
Arkansas|Little Rock|72201|34.75|-92.29|2
Hawaii|Honolulu|96813|21.31|-157.86|3
Idaho|Boise|83702|43.62|-116.20|2
Maine|Portland|04101|43.66|-70.26|1
Alaska|Anchorage|99501|61.22|-149.90|3
District of Columbia|Washington|20001|38.91|-77.02|7
""",
    "China": """
Guangdong|Guangzhou|510000|23.13|113.26|150
Guangdong|Shenzhen|518000|22.54|114.06|130
Guangdong|Dongguan|523000|23.02|113.75|80
Guangdong|Foshan|528000|23.02|113.12|70
Shanghai|Shanghai|200000|31.23|121.47|200
Beijing|Beijing|100000|39.90|116.41|180
Zhejiang|Hangzhou|310000|30.27|120.15|80
Zhejiang|Ningbo|315000|29.87|121.54|50
Zhejiang|Wenzhou|325000|28.00|120.67|40
Jiangsu|Nanjing|210000|32.06|118.80|70
Jiangsu|Suzhou|215000|31.30|120.59|70
Jiangsu|Wuxi|214000|31.49|120.31|40
Shandong|Jinan|250000|36.65|117.12|50
Shandong|Qingdao|266000|36.07|120.38|60
Henan|Zhengzhou|450000|34.75|113.63|60
Sichuan|Chengdu|610000|30.57|104.07|90
Hubei|Wuhan|430000|30.59|114.31|80
Chongqing|Chongqing|400000|29.56|106.55|90
Tianjin|Tianjin|300000|39.34|117.36|70
Fujian|Xiamen|361000|24.48|118.09|40
Fujian|Fuzhou|350000|26.07|119.30|40
Hunan|Changsha|410000|28.23|112.94|50
Shaanxi|Xi'an|710000|34.34|108.94|60
Liaoning|Shenyang|110000|41.81|123.43|50
Liaoning|Dalian|116000|38.91|121.61|40
Heilongjiang|Harbin|150000|45.80|126.53|40
Anhui|Hefei|230000|31.82|117.23|40
Yunnan|Kunming|650000|25.04|102.71|30
Jilin|Changchun|130000|43.82|125.32|30
Guangxi|Nanning|530000|22.82|108.37|25
Jiangxi|Nanchang|330000|28.68|115.86|25
Hebei|Shijiazhuang|050000|38.04|114.51|30
Shanxi|Taiyuan|030000|37.87|112.55|20
Inner Mongolia|Hohhot|010000|40.84|111.75|10
""",
    "Brasil": """
São Paulo|São Paulo|01000-000|-23.55|-46.63|200
São Paulo|Campinas|13010-000|-22.91|-47.06|40
São Paulo|Santos|11010-000|-23.96|-46.33|20
Rio de Janeiro|Rio de Janeiro|20000-000|-22.91|-43.17|120
Rio de Janeiro|Niterói|24020-000|-22.88|-43.10|15
Minas Gerais|Belo Horizonte|30100-000|-19.92|-43.94|50
Minas Gerais|Uberlândia|38400-000|-18.92|-48.28|15
Bahia|Salvador|40000-000|-12.97|-38.50|40
Paraná|Curitiba|80000-000|-25.43|-49.27|35
Rio Grande do Sul|Porto Alegre|90000-000|-30.03|-51.23|30
Pernambuco|Recife|50000-000|-8.05|-34.88|30
Ceará|Fortaleza|60000-000|-3.73|-38.52|35
Distrito Federal|Brasília|70000-000|-15.79|-47.88|40
Amazonas|Manaus|69000-000|-3.12|-60.02|25
Pará|Belém|66000-000|-1.46|-48.50|20
Goiás|Goiânia|74000-000|-16.68|-49.25|20
Santa Catarina|Florianópolis|88000-000|-27.60|-48.55|15
Espírito Santo|Vitória|29000-000|-20.32|-40.34|10
""",
    "South Korea": """
Seoul|Seoul|04524|37.57|126.98|100
Busan|Busan|48058|35.18|129.08|40
Incheon|Incheon|21554|37.46|126.71|30
Daegu|Daegu|41911|35.87|128.60|25
Gyeonggi-do|Suwon|16489|37.26|127.03|25
Daejeon|Daejeon|34126|36.35|127.38|15
Gwangju|Gwangju|61475|35.16|126.85|15
Ulsan|Ulsan|44675|35.54|129.31|10
""",
    "France": """
Île-de-France|Paris|75001|48.86|2.35|100
Provence-Alpes-Côte d'Azur|Marseille|13001|43.30|5.37|30
Provence-Alpes-Côte d'Azur|Nice|06000|43.70|7.27|15
Auvergne-Rhône-Alpes|Lyon|69001|45.76|4.84|30
Occitanie|Toulouse|31000|43.60|1.44|25
Occitanie|Montpellier|34000|43.61|3.88|12
Nouvelle-Aquitaine|Bordeaux|33000|44.84|-0.58|15
Hauts-de-France|Lille|59000|50.63|3.06|15
Pays de la Loire|Nantes|44000|47.22|-1.55|15
Grand Est|Strasbourg|67000|48.57|7.75|12
""",
    "United Kingdom": """
England|London|EC1A 1BB|51.51|-0.13|150
England|Birmingham|B1 1AA|52.49|-1.89|25
England|Manchester|M1 1AE|53.48|-2.24|25
England|Leeds|LS1 1UR|53.80|-1.55|15
England|Liverpool|L1 8JQ|53.41|-2.98|12
England|Bristol|BS1 4DJ|51.45|-2.59|10
Scotland|Glasgow|G1 1XQ|55.86|-4.25|15
Scotland|Edinburgh|EH1 1YZ|55.95|-3.19|12
Wales|Cardiff|CF10 1EP|51.48|-3.18|8
Northern Ireland|Belfast|BT1 5GS|54.60|-5.93|6
""",
    "Germany": """
Berlin|Berlin|10115|52.52|13.40|70
Bayern|München|80331|48.14|11.58|30
Bayern|Nürnberg|90402|49.45|11.08|12
Hamburg|Hamburg|20095|53.55|9.99|35
Nordrhein-Westfalen|Köln|50667|50.94|6.96|25
Nordrhein-Westfalen|Düsseldorf|40213|51.23|6.78|15
Nordrhein-Westfalen|Dortmund|44135|51.51|7.47|12
Hessen|Frankfurt am Main|60311|50.11|8.68|18
Baden-Württemberg|Stuttgart|70173|48.78|9.18|15
Sachsen|Leipzig|04109|51.34|12.37|12
Sachsen|Dresden|01067|51.05|13.74|10
""",
    "Spain": """
Madrid|Madrid|28001|40.42|-3.70|70
Cataluña|Barcelona|08001|41.39|2.17|50
Comunidad Valenciana|Valencia|46001|39.47|-0.38|20
Andalucía|Sevilla|41001|37.39|-5.98|18
Andalucía|Málaga|29001|36.72|-4.42|12
Aragón|Zaragoza|50001|41.65|-0.89|10
País Vasco|Bilbao|48001|43.26|-2.93|10
""",
    "Japan": """
Tokyo|Tokyo|100-0001|35.68|139.69|100
Osaka|Osaka|530-0001|34.69|135.50|40
Kanagawa|Yokohama|220-0011|35.44|139.64|35
Aichi|Nagoya|460-0001|35.18|136.91|25
Hokkaido|Sapporo|060-0001|43.06|141.35|20
Fukuoka|Fukuoka|810-0001|33.59|130.40|18
Kyoto|Kyoto|600-8001|35.01|135.77|15
Hyogo|Kobe|650-0001|34.69|135.20|15
""",
    "Australia": """
New South Wales|Sydney|2000|-33.87|151.21|50
Victoria|Melbourne|3000|-37.81|144.96|45
Queensland|Brisbane|4000|-27.47|153.03|25
Queensland|Gold Coast|4217|-28.02|153.40|6
Western Australia|Perth|6000|-31.95|115.86|20
South Australia|Adelaide|5000|-34.93|138.60|13
Australian Capital Territory|Canberra|2600|-35.28|149.13|5
""",
    "Belgium": """
Brussels|Brussels|1000|50.85|4.35|30
Flanders|Antwerp|2000|51.22|4.40|25
Flanders|Ghent|9000|51.05|3.72|15
Wallonia|Liège|4000|50.63|5.57|10
Wallonia|Charleroi|6000|50.41|4.44|10
""",
    "Poland": """
Masovia|Warsaw|00-001|52.23|21.01|40
Lesser Poland|Kraków|30-001|50.06|19.94|20
Łódź|Łódź|90-001|51.76|19.46|15
Lower Silesia|Wrocław|50-001|51.11|17.03|15
Greater Poland|Poznań|60-001|52.41|16.93|12
Pomerania|Gdańsk|80-001|54.35|18.65|10
""",
    "Colombia": """
Bogotá|Bogotá|110111|4.71|-74.07|50
Antioquia|Medellín|050001|6.24|-75.58|25
Valle del Cauca|Cali|760001|3.45|-76.53|20
Atlántico|Barranquilla|080001|10.96|-74.80|12
""",
    "Austria": """
Vienna|Vienna|1010|48.21|16.37|50
Styria|Graz|8010|47.07|15.44|10
Upper Austria|Linz|4020|48.31|14.29|8
Salzburg|Salzburg|5020|47.81|13.04|6
Tyrol|Innsbruck|6020|47.27|11.40|5
""",
}


def places() -> list[tuple[str, str, str, str, float, float, float]]:
    """(country, state, city, postal_code, latitude, longitude, weight) for every place;
    the weight is the user share of the place (country share times city share)."""
    out = []
    for country, share in COUNTRIES:
        rows = [line.split("|") for line in _PLACES[country].strip().splitlines()]
        total = sum(float(r[5]) for r in rows)
        for state, city, postal, lat, lon, w in rows:
            out.append((country, state, city, postal, float(lat), float(lon),
                        share * float(w) / total))  # fmt: skip
    return out


# --- products -----------------------------------------------------------------

# The ten distribution centers of the public dataset with their coordinates, and
# the share of products each one stocks.
DISTRIBUTION_CENTERS: tuple[tuple[int, str, float, float, float], ...] = (
    (1, "Memphis TN", 35.1174, -89.9711, 13),
    (2, "Chicago IL", 41.8369, -87.6847, 12),
    (3, "Houston TX", 29.7604, -95.3698, 15),
    (4, "Los Angeles CA", 34.05, -118.25, 9),
    (5, "New Orleans LA", 29.95, -90.0667, 8),
    (6, "Port Authority of New York/New Jersey NY/NJ", 40.634, -73.7834, 9),
    (7, "Philadelphia PA", 39.95, -75.1667, 10),
    (8, "Mobile AL", 30.6944, -88.0431, 11),
    (9, "Charleston SC", 32.7833, -79.9333, 6),
    (10, "Savannah GA", 32.0167, -81.1167, 7),
)

# Brand pools; a category draws its brands from one pool, earlier brands more often.
BRAND_POOLS: dict[str, tuple[str, ...]] = {
    "basics": ("Hanes", "Calvin Klein", "Fruit of the Loom", "Tommy Hilfiger", "Champion",
               "Ralph Lauren", "Gildan", "Jockey", "American Apparel", "Alternative"),
    "denim": ("Levi's", "Wrangler", "True Religion", "7 For All Mankind", "Lucky Brand",
              "Calvin Klein", "Lee", "Diesel", "Joe's Jeans", "Hudson", "Paige"),
    "active": ("Nike", "Under Armour", "Adidas", "Puma", "Champion", "Reebok", "ASICS",
               "New Balance", "Columbia", "The North Face"),
    "outdoor": ("Carhartt", "Columbia", "The North Face", "Patagonia", "Levi's",
                "Tommy Hilfiger", "Calvin Klein", "Woolrich", "Dickies"),
    "tailored": ("Calvin Klein", "Kenneth Cole", "Tommy Hilfiger", "Lauren Ralph Lauren",
                 "Dockers", "Perry Ellis", "Van Heusen", "Haggar", "Nautica", "IZOD"),
    "fashion": ("Allegra K", "Calvin Klein", "Free People", "DKNY", "Tommy Hilfiger", "Guess",
                "BCBGMAXAZRIA", "Michael Kors", "Anne Klein", "Jones New York",
                "Vince Camuto", "Betsey Johnson"),
    "intimates": ("Calvin Klein", "Maidenform", "Wacoal", "Bali", "Hanky Panky", "Spanx",
                  "Playtex", "Vanity Fair", "Fruit of the Loom", "Carole Hochman"),
    "underwear": ("Calvin Klein", "Hanes", "Jockey", "Fruit of the Loom", "Tommy Hilfiger",
                  "Under Armour", "2(X)IST", "Ralph Lauren"),
    "swim": ("Speedo", "Quiksilver", "Billabong", "Roxy", "Volcom", "O'Neill", "Nautica",
             "Tommy Bahama", "Calvin Klein"),
    "accessories": ("Ray-Ban", "Fossil", "Carhartt", "Oakley", "Timex", "Nike", "Echo Design",
                    "Michael Kors", "Tommy Hilfiger", "Columbia"),
    "maternity": ("Motherhood Maternity", "Seven7", "Jessica Simpson", "Ingrid & Isabel"),
    "plus": ("Allegra K", "Just My Size", "Woman Within", "Jessica London", "Roaman's"),
    "sleep": ("Carole Hochman", "Calvin Klein", "Hanes", "Tommy Hilfiger", "Nautica",
              "Intimo", "Ralph Lauren", "Jockey"),
    "socks": ("Hanes", "Gold Toe", "Nike", "Fruit of the Loom", "Under Armour", "Hue",
              "Smartwool", "Wigwam", "Berkshire", "Leg Avenue"),
}  # fmt: skip

ADJECTIVES = _words(
    "Classic Essential Slim Relaxed Vintage Premium Soft Lightweight Stretch Cotton Heritage "
    "Signature Modern Everyday Performance"
)

# (category, brand pool, median retail price, Women nouns, Men nouns, Women share,
#  Men share). Shares are product counts out of about 29k in the public dataset;
#  a category with no nouns for a department is not sold in that department.
CATEGORIES: tuple[tuple[str, str, float, str, str, float, float], ...] = (
    ("Accessories", "accessories", 30,
     "Sunglasses|Leather Belt|Watch|Scarf|Wallet|Beanie",
     "Sunglasses|Leather Belt|Watch|Baseball Cap|Wallet|Beanie", 800, 760),
    ("Active", "active", 38,
     "Sports Bra|Yoga Pants|Training Tank|Running Jacket",
     "Training Tee|Running Shorts|Track Jacket|Performance Tank", 700, 720),
    ("Blazers & Jackets", "fashion", 75, "Blazer|Cropped Jacket|Moto Jacket|Denim Jacket", "",
     480, 0),
    ("Clothing Sets", "fashion", 45, "Two-Piece Set|Lounge Set|Tracksuit Set", "", 50, 0),
    ("Dresses", "fashion", 65, "Maxi Dress|Wrap Dress|Sheath Dress|Shift Dress|Sundress", "",
     1570, 0),
    ("Fashion Hoodies & Sweatshirts", "basics", 45,
     "Pullover Hoodie|Zip Hoodie|Crewneck Sweatshirt|Cropped Hoodie",
     "Pullover Hoodie|Zip Hoodie|Crewneck Sweatshirt|Fleece Hoodie", 920, 950),
    ("Intimates", "intimates", 22, "Bra|Bikini Brief|Thong|Hipster Panty|Bralette|Camisole", "",
     2360, 0),
    ("Jeans", "denim", 85, "Skinny Jeans|Bootcut Jeans|Boyfriend Jeans|Straight Leg Jeans",
     "Slim Fit Jeans|Straight Leg Jeans|Relaxed Fit Jeans|Bootcut Jeans", 940, 1060),
    ("Jumpsuits & Rompers", "fashion", 50, "Jumpsuit|Romper|Wide Leg Jumpsuit", "", 180, 0),
    ("Leggings", "active", 25, "Leggings|Capri Leggings|High Waist Leggings", "", 480, 0),
    ("Maternity", "maternity", 40, "Maternity Dress|Maternity Jeans|Nursing Top", "", 800, 0),
    ("Outerwear & Coats", "outdoor", 120, "Parka|Down Jacket|Trench Coat|Wool Coat",
     "Parka|Down Jacket|Peacoat|Rain Jacket|Fleece Jacket", 600, 820),
    ("Pants", "tailored", 50, "", "Chino Pants|Cargo Pants|Dress Pants|Khakis|Jogger Pants",
     0, 1040),
    ("Pants & Capris", "fashion", 45, "Capri Pants|Wide Leg Pants|Cropped Pants|Trousers", "",
     1000, 0),
    ("Plus", "plus", 40, "Plus Size Tunic|Plus Size Dress|Plus Size Cardigan", "", 800, 0),
    ("Shorts", "outdoor", 32, "Denim Shorts|Bermuda Shorts|Bike Shorts",
     "Cargo Shorts|Chino Shorts|Denim Shorts|Bermuda Shorts", 880, 910),
    ("Skirts", "fashion", 40, "Pencil Skirt|Maxi Skirt|A-Line Skirt|Pleated Skirt", "", 500, 0),
    ("Sleep & Lounge", "sleep", 35, "Pajama Set|Robe|Nightgown|Lounge Pants",
     "Pajama Set|Robe|Lounge Pants|Sleep Shirt", 970, 880),
    ("Socks", "socks", 12, "", "Crew Socks|Ankle Socks|Dress Socks|Athletic Socks", 0, 830),
    ("Socks & Hosiery", "socks", 12, "Tights|Knee High Socks|No Show Socks|Pantyhose", "",
     290, 0),
    ("Suits", "tailored", 110, "Pant Suit|Skirt Suit|Suit Jacket", "", 170, 0),
    ("Suits & Sport Coats", "tailored", 120, "", "Suit|Sport Coat|Tuxedo|Suit Jacket", 0, 740),
    ("Sweaters", "basics", 60, "Cardigan|Crewneck Sweater|Turtleneck|Cable Knit Sweater",
     "Cardigan|Crewneck Sweater|V-Neck Sweater|Quarter Zip Sweater", 1030, 710),
    ("Swim", "swim", 45, "Bikini Set|One-Piece Swimsuit|Cover-Up|Tankini",
     "Swim Trunks|Board Shorts|Rash Guard", 950, 900),
    ("Tops & Tees", "basics", 25, "Crew Neck Tee|V-Neck Tee|Tank Top|Blouse|Tunic",
     "Crew Neck Tee|V-Neck Tee|Polo Shirt|Henley|Graphic Tee", 930, 940),
    ("Underwear", "underwear", 20, "", "Boxer Briefs|Briefs|Trunks|Boxers|Undershirt", 0, 1030),
)  # fmt: skip


# --- table and column descriptions ----------------------------------------------

_STATUS = "'Processing', 'Shipped', 'Complete', 'Returned' or 'Cancelled'"
_TS = "(UTC)"

# table -> (description, ((column, BigQuery type, description), ...)), in the
# public dataset's column order.
SCHEMA: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "distribution_centers": ("Warehouses that stock and ship the products (10 rows).", (
        ("id", "INT64", "Distribution center id; products.distribution_center_id refers to it."),
        ("name", "STRING", "City and state code, e.g. 'Memphis TN', 'Chicago IL'."),
        ("latitude", "FLOAT64", "Latitude in degrees."),
        ("longitude", "FLOAT64", "Longitude in degrees."),
    )),
    "events": ("Web events on the store's site, one row per page view or action. Rows of one "
               "visit share session_id; user_id is NULL for visitors who were not signed in.", (
        ("id", "INT64", "Event id, increasing with created_at."),
        ("user_id", "INT64", "users.id of a signed-in visitor; NULL for anonymous visitors."),
        ("sequence_number", "INT64", "Position of the event within its session, from 1."),
        ("session_id", "STRING", "Visit identifier (UUID); COUNT(DISTINCT session_id) = visits."),
        ("created_at", "TIMESTAMP", f"When the event happened {_TS}."),
        ("ip_address", "STRING", "Visitor IPv4 address."),
        ("city", "STRING", "Visitor city, e.g. 'Shanghai', 'New York'."),
        ("state", "STRING", "Visitor state or province, full name, e.g. 'California'."),
        ("postal_code", "STRING", "Visitor postal code (text)."),
        ("browser", "STRING", "'Chrome', 'Safari', 'Firefox', 'IE' or 'Other'."),
        ("traffic_source", "STRING",
         "Channel of the visit: 'Email', 'Adwords', 'Organic', 'YouTube' or 'Facebook'."),
        ("uri", "STRING", "Page path: '/home', '/department/<dept>/category/<category>/brand/"
         "<brand>', '/product/<products.id>', '/cart', '/purchase' or '/cancel'."),
        ("event_type", "STRING", "'home', 'department', 'product', 'cart', 'purchase' (an "
         "order was placed) or 'cancel' (an order was cancelled)."),
    )),
    "inventory_items": ("Stock: one row per physical unit received. sold_at is NULL while the "
                        "unit is in stock; each order_items row sold exactly one unit.", (
        ("id", "INT64", "Inventory item id; order_items.inventory_item_id refers to it."),
        ("product_id", "INT64", "products.id of this unit."),
        ("created_at", "TIMESTAMP", f"When the unit arrived in stock {_TS}."),
        ("sold_at", "TIMESTAMP", f"When the unit was sold {_TS}; NULL if still in stock."),
        ("cost", "FLOAT64", "What the unit cost the store, USD (products.cost)."),
        ("product_category", "STRING", "products.category, copied."),
        ("product_name", "STRING", "products.name, copied."),
        ("product_brand", "STRING", "products.brand, copied."),
        ("product_retail_price", "FLOAT64", "products.retail_price, copied (USD)."),
        ("product_department", "STRING", "products.department, copied: 'Men' or 'Women'."),
        ("product_sku", "STRING", "products.sku, copied."),
        ("product_distribution_center_id", "INT64", "products.distribution_center_id, copied."),
    )),
    "order_items": ("Line items of orders, one row per unit sold. Revenue is SUM(sale_price), "
                    "usually excluding status 'Cancelled' and 'Returned'.", (
        ("id", "INT64", "Order item id."),
        ("order_id", "INT64", "orders.order_id of the order this item belongs to."),
        ("user_id", "INT64", "users.id of the buyer (same as the order's user_id)."),
        ("product_id", "INT64", "products.id of the item sold."),
        ("inventory_item_id", "INT64", "inventory_items.id of the unit that was sold."),
        ("status", "STRING", f"Same as the order's status: {_STATUS}."),
        ("created_at", "TIMESTAMP", f"When the order was placed {_TS}."),
        ("shipped_at", "TIMESTAMP", f"When shipped {_TS}; NULL if Processing or Cancelled."),
        ("delivered_at", "TIMESTAMP",
         f"When delivered {_TS}; NULL unless status is 'Complete' or 'Returned'."),
        ("returned_at", "TIMESTAMP", f"When returned {_TS}; NULL unless status is 'Returned'."),
        ("sale_price", "FLOAT64", "Price the item sold for, USD (the product's retail_price)."),
    )),
    "orders": ("Customer orders, one row per order; the items are in order_items.", (
        ("order_id", "INT64", "Order id, increasing with created_at; order_items.order_id."),
        ("user_id", "INT64", "users.id of the customer who placed the order."),
        ("status", "STRING", f"{_STATUS}. Processing: placed, not shipped; Shipped: on the "
         "way; Complete: delivered; Returned: delivered then sent back; Cancelled: never "
         "shipped."),
        ("gender", "STRING", "Customer gender, 'M' or 'F' (copied from users.gender)."),
        ("created_at", "TIMESTAMP", f"When the order was placed {_TS}; 2019 to 2025."),
        ("returned_at", "TIMESTAMP", f"When returned {_TS}; NULL unless status is 'Returned'."),
        ("shipped_at", "TIMESTAMP", f"When shipped {_TS}; NULL if Processing or Cancelled."),
        ("delivered_at", "TIMESTAMP",
         f"When delivered {_TS}; NULL unless status is 'Complete' or 'Returned'."),
        ("num_of_item", "INT64", "Number of items in the order (1-4) = its rows in order_items."),
    )),
    "products": ("Product catalogue of the fashion store, one row per product.", (
        ("id", "INT64", "Product id."),
        ("cost", "FLOAT64", "What one unit costs the store, USD; profit = sale_price - cost."),
        ("category", "STRING", "Category, e.g. 'Jeans', 'Intimates', 'Tops & Tees', 'Swim', "
         "'Outerwear & Coats', 'Accessories', 'Dresses' (26 in all)."),
        ("name", "STRING", "Product name, e.g. \"Levi's Men's Classic Slim Fit Jeans\"."),
        ("brand", "STRING", "Brand, e.g. 'Calvin Klein', \"Levi's\", 'Nike', 'Carhartt'."),
        ("retail_price", "FLOAT64", "List price, USD."),
        ("department", "STRING", "'Men' or 'Women'."),
        ("sku", "STRING", "Stock keeping unit code (32 hex characters)."),
        ("distribution_center_id", "INT64", "distribution_centers.id that stocks the product."),
    )),
    "users": ("Registered customers, one row per user.", (
        ("id", "INT64", "User id; orders.user_id and events.user_id refer to it."),
        ("first_name", "STRING", "First name."),
        ("last_name", "STRING", "Last name."),
        ("email", "STRING", "Email address (fictitious)."),
        ("age", "INT64", "Age in years, 12 to 70."),
        ("gender", "STRING", "'M' or 'F'."),
        ("state", "STRING", "State or province, full name, e.g. 'California', 'Texas', "
         "'Guangdong', 'São Paulo'."),
        ("street_address", "STRING", "Street address."),
        ("postal_code", "STRING", "Postal code (text; format depends on the country)."),
        ("city", "STRING", "City, e.g. 'Shanghai', 'New York', 'São Paulo'."),
        ("country", "STRING", "Country name: 'China', 'United States', 'Brasil' (spelled so), "
         "'South Korea', 'France', 'United Kingdom', 'Germany', 'Spain', 'Japan', ..."),
        ("latitude", "FLOAT64", "Latitude of the address in degrees."),
        ("longitude", "FLOAT64", "Longitude of the address in degrees."),
        ("traffic_source", "STRING", "Channel that brought the user at sign-up: 'Search', "
         "'Organic', 'Facebook', 'Email' or 'Display'."),
        ("created_at", "TIMESTAMP", f"When the account was created {_TS}."),
    )),
}  # fmt: skip
