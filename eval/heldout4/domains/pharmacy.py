"""`pharmacy`: a small chain of retail pharmacies — pharmacies, drugs, prescribers, patients
and dispensings (one drug handed over to one patient at one pharmacy).

Naming style: snake_case plural tables, declared primary and foreign keys, a COMMENT on
every table and most columns.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, comment, load

S = "pharmacy"
PHARMACIES = [  # name, city, opened, weight (share of dispensings)
    ("Elm Street Pharmacy", "Springfield", dt.date(2008, 4, 1), 30),
    ("Riverside Chemists", "Springfield", dt.date(2015, 9, 14), 18),
    ("Harbor Drug", "Portsmouth", dt.date(2001, 2, 20), 22),
    ("Oakview Pharmacy", "Fairview", dt.date(2019, 6, 3), 14),
    ("Northgate Apothecary", "Fairview", dt.date(2012, 11, 5), 16),
    ("Lakeside Pharmacy", "Portsmouth", dt.date(2025, 9, 1), 0),  # opened after the data ends
]
DRUGS = [  # brand, generic, class, unit price, prescription only
    ("Lipitor", "atorvastatin", "Statin", 1.85, True),
    ("Zocor", "simvastatin", "Statin", 0.95, True),
    ("Crestor", "rosuvastatin", "Statin", 2.40, True),
    ("Glucophage", "metformin", "Antidiabetic", 0.30, True),
    ("Januvia", "sitagliptin", "Antidiabetic", 4.90, True),
    ("Jardiance", "empagliflozin", "Antidiabetic", 5.60, True),
    ("Norvasc", "amlodipine", "Antihypertensive", 0.55, True),
    ("Zestril", "lisinopril", "Antihypertensive", 0.40, True),
    ("Cozaar", "losartan", "Antihypertensive", 0.70, True),
    ("Tenormin", "atenolol", "Beta blocker", 0.45, True),
    ("Toprol", "metoprolol", "Beta blocker", 0.60, True),
    ("Amoxil", "amoxicillin", "Antibiotic", 0.80, True),
    ("Zithromax", "azithromycin", "Antibiotic", 3.10, True),
    ("Keflex", "cephalexin", "Antibiotic", 1.20, True),
    ("Cipro", "ciprofloxacin", "Antibiotic", 1.50, True),
    ("Zoloft", "sertraline", "Antidepressant", 0.90, True),
    ("Lexapro", "escitalopram", "Antidepressant", 1.10, True),
    ("Prozac", "fluoxetine", "Antidepressant", 0.75, True),
    ("Wellbutrin", "bupropion", "Antidepressant", 1.60, True),
    ("Ventolin", "albuterol", "Bronchodilator", 6.50, True),
    ("Singulair", "montelukast", "Antiasthmatic", 1.30, True),
    ("Synthroid", "levothyroxine", "Thyroid", 0.50, True),
    ("Prilosec", "omeprazole", "Proton pump inhibitor", 0.65, False),
    ("Nexium", "esomeprazole", "Proton pump inhibitor", 1.40, False),
    ("Advil", "ibuprofen", "Analgesic", 0.10, False),
    ("Tylenol", "acetaminophen", "Analgesic", 0.08, False),
    ("Aleve", "naproxen", "Analgesic", 0.12, False),
    ("Claritin", "loratadine", "Antihistamine", 0.35, False),
    ("Zyrtec", "cetirizine", "Antihistamine", 0.40, False),
    ("Allegra", "fexofenadine", "Antihistamine", 0.55, False),
    ("Eliquis", "apixaban", "Anticoagulant", 7.80, True),
    ("Xarelto", "rivaroxaban", "Anticoagulant", 8.20, True),
    ("Humira", "adalimumab", "Immunosuppressant", 420.00, True),  # never dispensed
    ("Ozempic", "semaglutide", "Antidiabetic", 310.00, True),
    ("Valtrex", "valacyclovir", "Antiviral", 2.20, True),
    ("Tamiflu", "oseltamivir", "Antiviral", 11.50, True),  # only in winter
    ("Imitrex", "sumatriptan", "Antimigraine", 9.40, True),
    ("Mucinex", "guaifenesin", "Expectorant", 0.45, False),
    ("Pepcid", "famotidine", "H2 blocker", 0.30, False),
    ("Accutane", "isotretinoin", "Retinoid", 14.00, True),  # never dispensed
]
NEVER = {"Humira", "Accutane"}
SPECIALTIES = ["Family Medicine", "Internal Medicine", "Cardiology", "Pediatrics", "Psychiatry",
               "Endocrinology", "Dermatology"]
PLANS = ["Medicare", "Medicaid", "BlueShield", "Aetna", "Cigna"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.pharmacies (pharmacy_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL,
  city VARCHAR, opened_on DATE);
CREATE TABLE {S}.drugs (drug_id INTEGER PRIMARY KEY, brand_name VARCHAR NOT NULL,
  generic_name VARCHAR, drug_class VARCHAR, unit_price DECIMAL(8, 2),
  prescription_only BOOLEAN);
CREATE TABLE {S}.prescribers (prescriber_id INTEGER PRIMARY KEY, first_name VARCHAR,
  last_name VARCHAR, specialty VARCHAR);
CREATE TABLE {S}.patients (patient_id INTEGER PRIMARY KEY, first_name VARCHAR,
  last_name VARCHAR, birth_date DATE, sex VARCHAR, insurance_plan VARCHAR);
CREATE TABLE {S}.dispensings (dispensing_id INTEGER PRIMARY KEY,
  pharmacy_id INTEGER REFERENCES {S}.pharmacies (pharmacy_id),
  patient_id INTEGER REFERENCES {S}.patients (patient_id),
  drug_id INTEGER REFERENCES {S}.drugs (drug_id),
  prescriber_id INTEGER REFERENCES {S}.prescribers (prescriber_id),
  dispensed_at TIMESTAMP, quantity INTEGER, total_price DECIMAL(10, 2),
  copay DECIMAL(10, 2));
"""


def _comments(con: duckdb.DuckDBPyConnection) -> None:
    comment(con, f"{S}.pharmacies", "Stores of the chain", {
        "name": "Store name", "city": "City the store is in", "opened_on": "Opening date"})
    comment(con, f"{S}.drugs", "Drug catalogue, one row per product", {
        "brand_name": "Brand (trade) name", "generic_name": "Active ingredient",
        "drug_class": "Therapeutic class", "unit_price": "List price per unit (tablet, dose)",
        "prescription_only": "True when a prescription is required; false for over the counter"})
    comment(con, f"{S}.prescribers", "Doctors whose prescriptions the chain fills", {
        "specialty": "Medical specialty"})
    comment(con, f"{S}.patients", "Customers registered with the chain", {
        "sex": "F or M", "insurance_plan": "Insurer; NULL for uninsured (self-pay) patients"})
    comment(con, f"{S}.dispensings", "One drug dispensed to one patient at one pharmacy", {
        "prescriber_id": "Prescribing doctor; NULL for over-the-counter sales",
        "dispensed_at": "When the drug was handed over",
        "quantity": "Units dispensed", "total_price": "Amount charged in dollars (units x price)",
        "copay": "Part of total_price the patient paid; the rest was billed to insurance"})


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    load(con, f"{S}.pharmacies", {
        "pharmacy_id": np.arange(1, len(PHARMACIES) + 1),
        "name": np.array([p[0] for p in PHARMACIES], dtype=object),
        "city": np.array([p[1] for p in PHARMACIES], dtype=object),
        "opened_on": np.array([p[2] for p in PHARMACIES], dtype="datetime64[D]")})
    load(con, f"{S}.drugs", {
        "drug_id": np.arange(1, len(DRUGS) + 1),
        "brand_name": np.array([d[0] for d in DRUGS], dtype=object),
        "generic_name": np.array([d[1] for d in DRUGS], dtype=object),
        "drug_class": np.array([d[2] for d in DRUGS], dtype=object),
        "unit_price": np.array([d[3] for d in DRUGS]),
        "prescription_only": np.array([d[4] for d in DRUGS])})
    n_doc, n_pat = 24, 450
    load(con, f"{S}.prescribers", {
        "prescriber_id": np.arange(1, n_doc + 1),
        "first_name": np.array(rng.choice(FIRST_NAMES, n_doc), dtype=object),
        "last_name": np.array(rng.choice(LAST_NAMES, n_doc, replace=False), dtype=object),
        "specialty": np.array(rng.choice(SPECIALTIES, n_doc,
                                         p=[.3, .2, .15, .1, .1, .1, .05]), dtype=object)})
    born = np.datetime64("1935-01-01") + rng.integers(0, 365 * 70, n_pat).astype("timedelta64[D]")
    plan = np.array(rng.choice(PLANS, n_pat, p=[.3, .15, .25, .15, .15]), dtype=object)
    plan[rng.random(n_pat) < 0.12] = None
    load(con, f"{S}.patients", {
        "patient_id": np.arange(1, n_pat + 1),
        "first_name": np.array(rng.choice(FIRST_NAMES, n_pat), dtype=object),
        "last_name": np.array(rng.choice(LAST_NAMES, n_pat), dtype=object),
        "birth_date": born, "sex": np.array(rng.choice(["F", "M"], n_pat), dtype=object),
        "insurance_plan": plan})
    _comments(con)
    _dispensings(con, rng, n_doc, n_pat, plan)


def _dispensings(con: duckdb.DuckDBPyConnection, rng: np.random.Generator, n_doc: int,
                 n_pat: int, plan: np.ndarray) -> None:
    """About 3 000 dispensings from January 2023 to June 2025; patients 431-450 never came."""
    n = 3000
    pw = np.array([p[3] for p in PHARMACIES], dtype=float)
    usable = [i for i, d in enumerate(DRUGS) if d[0] not in NEVER]
    dw = np.array([8 if DRUGS[i][2] in ("Analgesic", "Statin", "Antihypertensive") else
                   0.3 if DRUGS[i][3] > 100 else 2 for i in usable], dtype=float)
    patw = rng.pareto(1.5, n_pat - 20) + 0.2  # a few regulars
    docw = rng.pareto(1.2, n_doc) + 0.3
    start = dt.datetime(2023, 1, 1, 8)
    rows = []
    while len(rows) < n:
        drug = usable[int(rng.choice(len(usable), p=dw / dw.sum()))]
        brand, _, _, price, rx = DRUGS[drug]
        day = int(rng.integers(0, 911))  # 2023-01-01 .. 2025-06-30
        when = start + dt.timedelta(days=day, minutes=int(rng.integers(0, 12 * 60)))
        if brand == "Tamiflu" and when.month not in (11, 12, 1, 2, 3):
            continue
        pat = int(rng.choice(n_pat - 20, p=patw / patw.sum()))
        qty = int(rng.choice([30, 60, 90], p=[.6, .3, .1])) if rx and price < 100 else (
            1 if price >= 100 else int(rng.choice([10, 20, 24, 50, 100])))
        total = round(qty * price, 2)
        copay = total if plan[pat] is None or not rx else round(min(total, float(
            rng.choice([5, 10, 15, 25]))), 2)
        rows.append((int(rng.choice(5, p=pw[:5] / pw[:5].sum())) + 1, pat + 1, drug + 1,
                     int(rng.choice(n_doc, p=docw / docw.sum())) + 1 if rx else None,
                     when, qty, total, copay))
    rows.sort(key=lambda r: r[4])
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.dispensings", {
        "dispensing_id": np.arange(1, n + 1), "pharmacy_id": np.array(c[0]),
        "patient_id": np.array(c[1]), "drug_id": np.array(c[2]),
        "prescriber_id": np.array(c[3], dtype=object),
        "dispensed_at": np.array(c[4], dtype="datetime64[s]"), "quantity": np.array(c[5]),
        "total_price": np.array(c[6]), "copay": np.array(c[7])})
