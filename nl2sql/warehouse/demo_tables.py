"""The demo's rows, drawn in bulk with numpy: products, users, orders, order
items, inventory and events, each a dict of arrays (``raw`` holds what is
loaded; the rest is kept for the tables drawn after it).

Times are whole seconds in UTC, held as int64 microseconds (``NULL_TS`` is int64
min, which numpy reads as NaT and DuckDB loads as NULL). ``nl2sql.warehouse.demo``
loads the arrays into DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from nl2sql.warehouse import demo_vocab as V

I64 = np.int64
Ints = NDArray[np.int64]
SECOND = 1_000_000
HOUR = 3600 * SECOND
DAY = 24 * HOUR
START = int(np.datetime64("2019-01-01T00:00:00", "us").astype(I64))
NULL_TS = np.iinfo(I64).min


def _weights(values: Sequence[float]) -> NDArray[np.float64]:
    w = np.asarray(values, dtype=np.float64)
    return w / w.sum()


def _pick(rng: np.random.Generator, vocab: Sequence[tuple[str, float]], n: int) -> np.ndarray:
    """n strings drawn from (value, weight) pairs, as an object array."""
    values = np.array([v for v, _ in vocab], dtype=object)
    return values[rng.choice(len(vocab), size=n, p=_weights([w for _, w in vocab]))]


def _uniform(rng: np.random.Generator, values: Sequence[str], n: int) -> np.ndarray:
    """n strings drawn evenly from values, as an object array."""
    return np.array(values, dtype=object)[rng.integers(0, len(values), n)]


def _growing(rng: np.random.Generator, n: int, lo: int, hi: int, growth: float = 3.0) -> Ints:
    """n whole-second times in [lo, hi) whose density rises linearly, ending
    ``1 + growth`` times higher than it starts: the business grows."""
    u = rng.random(n)
    x = (np.sqrt(1 + 2 * growth * u * (1 + growth / 2)) - 1) / growth  # inverse CDF
    return _seconds(lo + x * (hi - lo - SECOND))


def _seconds(us: np.ndarray) -> Ints:
    return (np.floor_divide(us, SECOND) * SECOND).astype(I64)


def draw_products(rng: np.random.Generator, n: int) -> dict[str, Any]:
    # One entry per (department, category) pair that exists, weighted by its
    # product count in the public dataset.
    pairs = [(dept, i, share) for i, c in enumerate(V.CATEGORIES)
             for dept, share in (("Women", c[5]), ("Men", c[6])) if share]  # fmt: skip
    pair = rng.choice(len(pairs), size=n, p=_weights([share for _, _, share in pairs]))
    category = np.empty(n, dtype=object)
    brand = np.empty(n, dtype=object)
    noun = np.empty(n, dtype=object)
    department = np.empty(n, dtype=object)
    median = np.empty(n)
    for k, (dept, ci, _) in enumerate(pairs):  # loops over the ~40 pairs, not over rows
        rows = np.flatnonzero(pair == k)
        name, pool, price, women_nouns, men_nouns = V.CATEGORIES[ci][:5]
        brands = V.BRAND_POOLS[pool]
        nouns = (women_nouns if dept == "Women" else men_nouns).split("|")
        zipf = 1 / np.arange(1, len(brands) + 1) ** 0.9  # a few brands dominate
        brand[rows] = np.array(brands, dtype=object)[
            rng.choice(len(brands), size=len(rows), p=zipf / zipf.sum())]
        noun[rows] = _uniform(rng, nouns, len(rows))
        category[rows], department[rows], median[rows] = name, dept, price
    retail = np.maximum(np.floor(median * rng.lognormal(0, 0.45, n)), 2) + 0.99
    cost = np.round(retail * rng.uniform(0.38, 0.62, n), 2)
    raw = {
        "id": np.arange(1, n + 1, dtype=I64),
        "cost": cost, "category": category, "brand": brand, "noun": noun,
        "adjective": _uniform(rng, V.ADJECTIVES, n),
        "dept_word": np.where(department == "Women", "Women's", "Men's").astype(object),
        "retail_price": retail, "department": department,
        "distribution_center_id": rng.choice(
            np.array([d[0] for d in V.DISTRIBUTION_CENTERS], dtype=I64), size=n,
            p=_weights([d[4] for d in V.DISTRIBUTION_CENTERS])),
    }  # fmt: skip
    # Popularity: a long tail so best-seller questions have clear answers.
    return {"raw": raw, "retail": retail, "women": department == "Women",
            "popularity": rng.lognormal(0, 0.8, n)}  # fmt: skip


def draw_users(rng: np.random.Generator, n: int, places: list[tuple[Any, ...]],
           end: int) -> dict[str, Any]:
    place = rng.choice(len(places), size=n, p=_weights([p[6] for p in places]))
    cols = list(zip(*places, strict=True))
    country, state, city, postal = (np.array(c, dtype=object)[place] for c in cols[:4])
    female = rng.random(n) < 0.5
    first = np.where(female, _uniform(rng, V.FIRST_NAMES_F, n), _uniform(rng, V.FIRST_NAMES_M, n))
    created = _growing(rng, n, START, end - 2 * DAY)  # leaves room for a first order
    raw = {
        "id": np.arange(1, n + 1, dtype=I64),
        "first_name": first,
        "last_name": _uniform(rng, V.LAST_NAMES, n),
        "tld": _uniform(rng, ["com", "net", "org"], n),
        "age": rng.integers(12, 71, n).astype(I64),
        "gender": np.where(female, "F", "M").astype(object),
        "state": state, "city": city, "postal_code": postal, "country": country,
        "street_number": rng.integers(1, 9999, n).astype(I64),
        "street": _uniform(rng, V.STREET_NAMES, n),
        "street_suffix": _uniform(rng, V.STREET_SUFFIXES, n),
        "latitude": np.round(np.array(cols[4])[place] + rng.normal(0, 0.05, n), 6),
        "longitude": np.round(np.array(cols[5])[place] + rng.normal(0, 0.05, n), 6),
        "traffic_source": _pick(rng, V.USER_TRAFFIC_SOURCES, n),
        "created_at": created,
    }  # fmt: skip
    return {"raw": raw, "female": female, "created": created, "place": place}


def draw_orders(rng: np.random.Generator, n: int, users: dict[str, Any],
            end: int) -> dict[str, Any]:
    n_users = len(users["created"])
    # About 80 % of users buy at least once; the other orders go to repeat buyers.
    buyers = rng.permutation(n_users)[: min(round(0.8 * n_users), n)]
    user = np.concatenate([buyers, rng.choice(buyers, size=n - len(buyers))])
    # Most orders come within months of signing up, so orders grow with the user
    # base; a delay running past the end of the data is redrawn evenly instead.
    first = users["created"][user] + 2 * HOUR  # room for the visit before the purchase
    created = first + rng.exponential(120 * DAY, n)
    late = created >= end - HOUR
    created[late] = first[late] + rng.random(int(late.sum())) * (end - HOUR - first[late])
    created = _seconds(created)
    status = _pick(rng, V.ORDER_STATUSES, n)
    shipped = _seconds(created + rng.uniform(1, 72, n) * HOUR)
    delivered = _seconds(shipped + rng.uniform(24, 120, n) * HOUR)
    returned = _seconds(delivered + rng.uniform(12, 240, n) * HOUR)
    # An order whose next step would come after the end of the data has not got
    # there yet: keep every timestamp before the end and status consistent with them.
    status[(status == "Returned") & (returned >= end)] = "Complete"
    status[(status == "Complete") & (delivered >= end)] = "Shipped"
    status[(status == "Shipped") & (shipped >= end)] = "Processing"
    shipped[np.isin(status, ["Processing", "Cancelled"])] = NULL_TS
    delivered[~np.isin(status, ["Complete", "Returned"])] = NULL_TS
    returned[status != "Returned"] = NULL_TS
    k = rng.choice(len(V.ITEMS_PER_ORDER), size=n, p=_weights(V.ITEMS_PER_ORDER)) + 1
    # Order ids follow time, as an order-taking system would number them.
    by_time = np.argsort(created, kind="stable")
    user, created, status, k = user[by_time], created[by_time], status[by_time], k[by_time]
    shipped, delivered, returned = shipped[by_time], delivered[by_time], returned[by_time]
    raw = {
        "order_id": np.arange(1, n + 1, dtype=I64), "user_id": (user + 1).astype(I64),
        "status": status, "gender": np.where(users["female"][user], "F", "M").astype(object),
        "created_at": created, "returned_at": returned, "shipped_at": shipped,
        "delivered_at": delivered, "num_of_item": k.astype(I64),
    }  # fmt: skip
    return {"raw": raw, "user": user, "k": k, "created": created, "status": status,
            "times": (shipped, delivered, returned)}  # fmt: skip


def _sample_products(
    rng: np.random.Generator, products: dict[str, Any], women: np.ndarray
) -> Ints:
    """A product for each row, by popularity, from the department matching the buyer."""
    out = np.empty(len(women), dtype=I64)
    for dept_mask, rows in ((products["women"], women), (~products["women"], ~women)):
        pool = np.flatnonzero(dept_mask)
        out[rows] = pool[rng.choice(len(pool), size=int(rows.sum()),
                                    p=_weights(products["popularity"][pool]))]  # fmt: skip
    return out


def draw_order_items(
    rng: np.random.Generator,
    orders: dict[str, Any],
    users: dict[str, Any],
    products: dict[str, Any],
) -> dict[str, Any]:
    order = np.repeat(np.arange(len(orders["k"])), orders["k"])
    product = _sample_products(rng, products, users["female"][orders["user"][order]])
    shipped, delivered, returned = (t[order] for t in orders["times"])
    raw = {
        "id": np.arange(1, len(order) + 1, dtype=I64), "order_id": (order + 1).astype(I64),
        "user_id": (orders["user"][order] + 1).astype(I64), "product_id": product + 1,
        "status": orders["status"][order], "created_at": orders["created"][order],
        "shipped_at": shipped, "delivered_at": delivered, "returned_at": returned,
        "sale_price": products["retail"][product],
    }  # fmt: skip
    return {"raw": raw, "product": product, "created": raw["created_at"]}


def draw_inventory(
    rng: np.random.Generator, n: int, items: dict[str, Any], products: dict[str, Any], end: int
) -> dict[str, Any]:
    sold_at = items["created"]
    n_sold = len(sold_at)
    n_unsold = max(n - n_sold, 0)
    # Each sold unit arrived up to 180 days before its sale (never before 2019).
    arrived = _seconds(sold_at - rng.random(n_sold) * np.minimum(180 * DAY, sold_at - START))
    # Unsold stock: half spread evenly over the catalogue, half following demand.
    pop = products["popularity"]
    stock = 0.5 / len(pop) + 0.5 * pop / pop.sum()
    unsold_product = rng.choice(len(pop), size=n_unsold, p=stock / stock.sum())
    created = np.concatenate([arrived, _growing(rng, n_unsold, START, end)])
    by_time = np.argsort(created, kind="stable")  # ids follow arrival time
    ids = np.empty(len(created), dtype=I64)
    ids[by_time] = np.arange(1, len(created) + 1)
    product = np.concatenate([items["product"], unsold_product]) + 1
    sold = np.concatenate([sold_at, np.full(n_unsold, NULL_TS, dtype=I64)])
    raw = {"id": np.arange(1, len(created) + 1, dtype=I64), "product_id": product[by_time],
           "created_at": created[by_time], "sold_at": sold[by_time]}  # fmt: skip
    return {"raw": raw, "sold_ids": ids[:n_sold]}


HOME, DEPARTMENT, PRODUCT, CART, PURCHASE, CANCEL = range(6)
EVENT_TYPES = ("home", "department", "product", "cart", "purchase", "cancel")


def draw_events(
    rng: np.random.Generator,
    n_guest: int,
    orders: dict[str, Any],
    users: dict[str, Any],
    items: dict[str, Any],
    products: dict[str, Any],
    places: list[tuple[Any, ...]],
    end: int,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Visits: one per order by its buyer (home, then department, product and cart
    for each item, purchase, and cancel if cancelled), plus anonymous browsing."""
    k = orders["k"]
    n_orders = len(k)
    cancelled = orders["status"] == "Cancelled"
    length = 2 + 3 * k + cancelled
    o_sess, o_pos = _expand(length)
    kk = k[o_sess]
    o_type = np.select([o_pos == 0, o_pos <= 3 * kk, o_pos == 3 * kk + 1],
                       [HOME, (o_pos - 1) % 3 + 1, PURCHASE], CANCEL)  # fmt: skip
    first_item = np.cumsum(k) - k
    item = first_item[o_sess] + np.clip((o_pos - 1) // 3, 0, kk - 1)
    o_product = np.where((o_type == DEPARTMENT) | (o_type == PRODUCT),
                         items["product"][item] + 1, 0)  # fmt: skip
    # The purchase event happens at the order's created_at.
    o_offset = _offsets(rng, o_sess, o_pos)
    o_time = orders["created"][o_sess] + o_offset - o_offset[_start(length) + 1 + 3 * k][o_sess]

    # Anonymous visits: home, then 0-3 department+product pairs, maybe the cart.
    pairs = rng.choice(4, size=n_guest, p=[0.15, 0.35, 0.30, 0.20])
    cart = (pairs > 0) & (rng.random(n_guest) < 0.4)
    g_length = 1 + 2 * pairs + cart
    g_sess, g_pos = _expand(g_length)
    gp = pairs[g_sess]
    g_type = np.select([g_pos == 0, g_pos > 2 * gp, g_pos % 2 == 1], [HOME, CART, DEPARTMENT],
                       PRODUCT)  # fmt: skip
    g_product = rng.choice(len(products["popularity"]), size=len(g_sess),
                           p=_weights(products["popularity"])) + 1  # fmt: skip
    dept_rows = np.flatnonzero(g_type == DEPARTMENT)
    g_product[dept_rows] = g_product[dept_rows + 1]  # the product page follows its department
    g_product[(g_type == HOME) | (g_type == CART)] = 0
    g_time = _growing(rng, n_guest, START, end - HOUR)[g_sess] + _offsets(rng, g_sess, g_pos)

    n_sess = n_orders + n_guest
    created = np.concatenate([o_time, g_time])
    by_time = np.argsort(created, kind="stable")  # ids follow time
    guest_place = rng.choice(len(places), size=n_guest, p=_weights([p[6] for p in places]))
    sessions = {
        "session": np.arange(n_sess, dtype=I64),
        "user_id": np.concatenate([orders["user"] + 1, np.zeros(n_guest, dtype=I64)]),
        "place": np.concatenate([users["place"][orders["user"]], guest_place]).astype(I64),
        "sa": rng.integers(0, 2**60, n_sess, dtype=I64),
        "sb": rng.integers(0, 2**62, n_sess, dtype=I64),
        "ip": rng.integers(1 << 24, 224 << 24, n_sess, dtype=I64),
        "browser": _pick(rng, V.BROWSERS, n_sess),
        "traffic_source": _pick(rng, V.EVENT_TRAFFIC_SOURCES, n_sess),
    }  # fmt: skip
    events = {
        "id": np.arange(1, len(created) + 1, dtype=I64),
        "session": np.concatenate([o_sess, g_sess + n_orders])[by_time],
        "sequence_number": (np.concatenate([o_pos, g_pos]) + 1)[by_time],
        "created_at": created[by_time],
        "type": np.concatenate([o_type, g_type]).astype(I64)[by_time],
        "product_id": np.concatenate([o_product, g_product]).astype(I64)[by_time],
    }  # fmt: skip
    return sessions, events


def _start(length: np.ndarray) -> Ints:
    """Index of each session's first row once sessions of these lengths are laid end to end."""
    return (np.cumsum(length) - length).astype(I64)


def _expand(length: np.ndarray) -> tuple[Ints, Ints]:
    """(session index, position within session) for every row of the sessions."""
    sess = np.repeat(np.arange(len(length), dtype=I64), length)
    return sess, np.arange(len(sess), dtype=I64) - _start(length)[sess]


def _offsets(rng: np.random.Generator, sess: Ints, pos: Ints) -> Ints:
    """Time of each event since its session's first event: 10 s to 5 min apart."""
    gaps = np.where(pos == 0, 0, rng.integers(10, 300, len(sess))) * SECOND
    total = np.cumsum(gaps)
    return (total - total[(np.flatnonzero(pos == 0))][sess]).astype(I64)
