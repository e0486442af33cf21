"""Where the demo's users live: cities by country, following the public dataset's
vocabulary (full country names such as ``Brasil``, US state names), each with a
postal code, coordinates and a weight (roughly the city's population).
"""

from __future__ import annotations

from nl2sql.warehouse.demo_vocab import COUNTRIES

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
