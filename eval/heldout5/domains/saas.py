"""`saas`: a B2B software company's subscriptions and billing — plans, customers (companies),
subscriptions and invoices.

Naming style: snake_case plural tables, declared primary and foreign keys, no comments.
A subscription still running has `cancelled_on` NULL; an unpaid invoice has `paid_on` NULL.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import load

S = "saas"
PLANS = [  # name, tier, billing cycle, price per seat per cycle, weight
    ("Starter Monthly", "Starter", "monthly", 12.0, 22),
    ("Starter Annual", "Starter", "annual", 120.0, 8),
    ("Team Monthly", "Team", "monthly", 25.0, 18),
    ("Team Annual", "Team", "annual", 250.0, 12),
    ("Business Monthly", "Business", "monthly", 45.0, 9),
    ("Business Annual", "Business", "annual", 450.0, 10),
    ("Enterprise Monthly", "Enterprise", "monthly", 80.0, 2),
    ("Enterprise Annual", "Enterprise", "annual", 800.0, 5),
    ("Legacy Basic", "Starter", "monthly", 9.0, 0),  # retired before the data starts
]
INDUSTRIES = ["Software", "Retail", "Healthcare", "Finance", "Education", "Manufacturing",
              "Media"]
COUNTRIES = ["United States", "United Kingdom", "Germany", "France", "Canada", "Australia",
             "Netherlands", "Brazil"]
WORDS_A = ["Blue", "Bright", "North", "Silver", "Rapid", "Green", "Summit", "Clear", "Iron",
           "Nimble", "Golden", "Quiet", "Bold", "Prime", "Urban", "Coastal", "Alpine", "Red",
           "Solar", "Atlas"]
WORDS_B = ["Labs", "Works", "Systems", "Analytics", "Logistics", "Health", "Foods", "Capital",
           "Media", "Studio", "Retail", "Robotics", "Partners", "Learning", "Dynamics", "Goods",
           "Cloud", "Metrics", "Ventures", "Supply"]
END = dt.date(2025, 9, 30)  # last day billed

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.plans (plan_id INTEGER PRIMARY KEY, plan_name VARCHAR NOT NULL,
  tier VARCHAR, billing_cycle VARCHAR, price_per_seat DECIMAL(8, 2));
CREATE TABLE {S}.customers (customer_id INTEGER PRIMARY KEY, company_name VARCHAR NOT NULL,
  industry VARCHAR, country VARCHAR, employee_count INTEGER, signed_up_on DATE);
CREATE TABLE {S}.subscriptions (subscription_id INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES {S}.customers (customer_id),
  plan_id INTEGER REFERENCES {S}.plans (plan_id),
  seats INTEGER, started_on DATE, cancelled_on DATE);
CREATE TABLE {S}.invoices (invoice_id INTEGER PRIMARY KEY,
  subscription_id INTEGER REFERENCES {S}.subscriptions (subscription_id),
  issued_on DATE, due_on DATE, amount DECIMAL(10, 2), paid_on DATE);
"""


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, min(d.day, 28))


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.plans", {
        "plan_id": np.arange(1, len(PLANS) + 1),
        "plan_name": np.array([p[0] for p in PLANS], dtype=object),
        "tier": np.array([p[1] for p in PLANS], dtype=object),
        "billing_cycle": np.array([p[2] for p in PLANS], dtype=object),
        "price_per_seat": np.array([p[3] for p in PLANS])})
    n_cust = 380
    names = [f"{a} {b}" for a in WORDS_A for b in WORDS_B]
    chosen = rng.choice(len(names), n_cust, replace=False)
    signup = [dt.date(2021, 1, 1) + dt.timedelta(days=int(d))
              for d in rng.integers(0, 1700, n_cust)]
    emp = (rng.lognormal(4.0, 1.3, n_cust)).astype(int) + 3
    load(con, f"{S}.customers", {
        "customer_id": np.arange(1, n_cust + 1),
        "company_name": np.array([names[i] for i in chosen], dtype=object),
        "industry": np.array(rng.choice(INDUSTRIES, n_cust,
                                        p=[.28, .16, .14, .14, .1, .1, .08]), dtype=object),
        "country": np.array(rng.choice(COUNTRIES, n_cust,
                                       p=[.38, .14, .12, .08, .1, .06, .07, .05]), dtype=object),
        "employee_count": emp, "signed_up_on": np.array(signup, dtype="datetime64[D]")})
    _subscriptions(con, rng, signup, emp)


def _subscriptions(con: duckdb.DuckDBPyConnection, rng: np.random.Generator,
                   signup: list[dt.date], emp: np.ndarray) -> None:
    """One or more subscriptions per customer (the last 40 customers never subscribed),
    and the invoices they produced up to END."""
    pw = np.array([p[4] for p in PLANS], dtype=float)
    subs, invs = [], []
    for c in range(len(signup) - 40):
        start = signup[c] + dt.timedelta(days=int(rng.integers(0, 30)))
        for _ in range(int(rng.choice([1, 2, 3], p=[.7, .22, .08]))):
            if start > END:
                break
            plan = int(rng.choice(len(PLANS), p=pw / pw.sum()))
            seats = max(1, min(int(emp[c] * rng.uniform(0.05, 0.5)), 400))
            months = int(rng.integers(2, 60))
            cancel = _add_months(start, months) if rng.random() < 0.45 else None
            if cancel is not None and cancel > END:
                cancel = None
            sid = len(subs) + 1
            subs.append((sid, c + 1, plan + 1, seats, start, cancel))
            step = 12 if PLANS[plan][2] == "annual" else 1
            k = 0
            while True:
                issued = _add_months(start, k * step)
                if issued > END or (cancel is not None and issued >= cancel):
                    break
                amount = round(seats * PLANS[plan][3] * (0.85 if rng.random() < 0.1 else 1), 2)
                r = rng.random()
                paid = (None if r < 0.04 or issued > END - dt.timedelta(days=20) and r < 0.5
                        else issued + dt.timedelta(days=int(rng.integers(0, 25) if r < 0.85
                                                            else rng.integers(31, 90))))
                invs.append((sid, issued, issued + dt.timedelta(days=30), amount, paid))
                k += 1
            start = (cancel or END) + dt.timedelta(days=int(rng.integers(1, 200)))
    c = list(zip(*subs, strict=True))
    load(con, f"{S}.subscriptions", {
        "subscription_id": np.array(c[0]), "customer_id": np.array(c[1]),
        "plan_id": np.array(c[2]), "seats": np.array(c[3]),
        "started_on": np.array(c[4], dtype="datetime64[D]"),
        "cancelled_on": np.array(c[5], dtype="datetime64[D]")})
    invs.sort(key=lambda r: (r[1], r[0]))
    v = list(zip(*invs, strict=True))
    load(con, f"{S}.invoices", {
        "invoice_id": np.arange(1, len(invs) + 1), "subscription_id": np.array(v[0]),
        "issued_on": np.array(v[1], dtype="datetime64[D]"),
        "due_on": np.array(v[2], dtype="datetime64[D]"), "amount": np.array(v[3]),
        "paid_on": np.array(v[4], dtype="datetime64[D]")})
