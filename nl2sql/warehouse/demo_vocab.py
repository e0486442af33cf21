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
