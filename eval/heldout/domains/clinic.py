"""`clinic`: an outpatient clinic's patients, doctors, visits and prescriptions.

Naming style: snake_case, plural table names, declared primary and foreign keys, and a
COMMENT on every table and column.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np

from .common import FIRST_NAMES, LAST_NAMES, comment, days_after, load, pick, with_nulls

S = "clinic"

DEPARTMENTS = [  # name, building, floor, share of visits
    ("Family Medicine", "Main", 1, 30), ("Emergency", "Main", 0, 16),
    ("Pediatrics", "East Wing", 2, 12), ("Cardiology", "Heart Center", 3, 9),
    ("Orthopedics", "East Wing", 1, 8), ("Dermatology", "Main", 2, 7),
    ("Obstetrics & Gynecology", "East Wing", 3, 7), ("Psychiatry", "West Wing", 2, 5),
    ("Neurology", "West Wing", 3, 4), ("Oncology", "Heart Center", 4, 2),
]
SPECIALTY = {
    "Family Medicine": ["Family Medicine", "Internal Medicine"],
    "Emergency": ["Emergency Medicine"], "Pediatrics": ["Pediatrics"],
    "Cardiology": ["Cardiology", "Interventional Cardiology"],
    "Orthopedics": ["Orthopedic Surgery"],
    "Dermatology": ["Dermatology"], "Obstetrics & Gynecology": ["Obstetrics", "Gynecology"],
    "Psychiatry": ["Psychiatry"], "Neurology": ["Neurology"], "Oncology": ["Medical Oncology"],
}
DIAGNOSES = [  # code, description, category, departments that give it
    ("I10", "Essential hypertension", "Circulatory", ["Family Medicine", "Cardiology"]),
    ("I48.91", "Atrial fibrillation", "Circulatory", ["Cardiology", "Emergency"]),
    ("R07.9", "Chest pain, unspecified", "Symptoms", ["Emergency", "Cardiology"]),
    ("E11.9", "Type 2 diabetes mellitus", "Endocrine", ["Family Medicine"]),
    ("E03.9", "Hypothyroidism", "Endocrine", ["Family Medicine"]),
    ("J06.9", "Acute upper respiratory infection", "Respiratory",
     ["Family Medicine", "Pediatrics", "Emergency"]),
    ("J45.909", "Asthma", "Respiratory", ["Pediatrics", "Family Medicine"]),
    ("H66.90", "Otitis media", "Ear", ["Pediatrics"]),
    ("Z00.00", "General adult medical examination", "Preventive", ["Family Medicine"]),
    ("Z00.129", "Routine child health check", "Preventive", ["Pediatrics"]),
    ("Z23", "Encounter for immunization", "Preventive", ["Pediatrics", "Family Medicine"]),
    ("M54.50", "Low back pain", "Musculoskeletal", ["Orthopedics", "Family Medicine"]),
    ("M17.11", "Osteoarthritis of right knee", "Musculoskeletal", ["Orthopedics"]),
    ("S93.401A", "Ankle sprain", "Injury", ["Emergency", "Orthopedics"]),
    ("S52.501A", "Fracture of wrist", "Injury", ["Emergency", "Orthopedics"]),
    ("L20.9", "Atopic dermatitis", "Skin", ["Dermatology", "Pediatrics"]),
    ("L70.0", "Acne vulgaris", "Skin", ["Dermatology"]),
    ("C43.9", "Malignant melanoma of skin", "Neoplasms", ["Dermatology", "Oncology"]),
    ("C50.919", "Malignant neoplasm of breast", "Neoplasms", ["Oncology"]),
    ("Z34.90", "Supervision of normal pregnancy", "Pregnancy", ["Obstetrics & Gynecology"]),
    ("N39.0", "Urinary tract infection", "Genitourinary",
     ["Obstetrics & Gynecology", "Family Medicine"]),
    ("F41.1", "Generalized anxiety disorder", "Mental health", ["Psychiatry", "Family Medicine"]),
    ("F32.9", "Major depressive disorder", "Mental health", ["Psychiatry"]),
    ("G43.909", "Migraine", "Nervous system", ["Neurology", "Emergency"]),
    ("G40.909", "Epilepsy", "Nervous system", ["Neurology"]),
    ("K21.9", "Gastro-esophageal reflux disease", "Digestive", ["Family Medicine"]),
]
MEDICATIONS = [  # name, doses (mg), typical for categories
    ("Lisinopril", [10, 20, 40], ["Circulatory"]), ("Amlodipine", [5, 10], ["Circulatory"]),
    ("Apixaban", [5], ["Circulatory"]), ("Metformin", [500, 850, 1000], ["Endocrine"]),
    ("Levothyroxine", [50, 75, 100], ["Endocrine"]),
    ("Amoxicillin", [250, 500], ["Respiratory", "Ear", "Genitourinary"]),
    ("Albuterol", [2], ["Respiratory"]), ("Ibuprofen", [400, 600, 800],
                                          ["Musculoskeletal", "Injury", "Symptoms"]),
    ("Naproxen", [250, 500], ["Musculoskeletal"]), ("Tretinoin", [1], ["Skin"]),
    ("Hydrocortisone", [10, 25], ["Skin"]), ("Sertraline", [50, 100], ["Mental health"]),
    ("Escitalopram", [10, 20], ["Mental health"]), ("Sumatriptan", [50, 100], ["Nervous system"]),
    ("Levetiracetam", [500, 1000], ["Nervous system"]), ("Omeprazole", [20, 40], ["Digestive"]),
    ("Tamoxifen", [20], ["Neoplasms"]), ("Prenatal vitamins", [1], ["Pregnancy"]),
    ("Nitrofurantoin", [100], ["Genitourinary"]),
]
CITIES = ["Springfield", "Riverton", "Lakeside", "Fairview", "Georgetown", "Oak Hill", "Milford"]
CITY_W = [40, 18, 14, 10, 8, 6, 4]
START, END = dt.date(2021, 1, 1), dt.date(2025, 6, 30)

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.departments (department_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL,
  building VARCHAR, floor INTEGER);
CREATE TABLE {S}.doctors (doctor_id INTEGER PRIMARY KEY, first_name VARCHAR, last_name VARCHAR,
  specialty VARCHAR, department_id INTEGER REFERENCES {S}.departments (department_id),
  hired_on DATE, left_on DATE);
CREATE TABLE {S}.patients (patient_id INTEGER PRIMARY KEY, first_name VARCHAR,
  last_name VARCHAR, date_of_birth DATE, sex VARCHAR, city VARCHAR, insurance_type VARCHAR,
  registered_at TIMESTAMP);
CREATE TABLE {S}.diagnoses (diagnosis_code VARCHAR PRIMARY KEY, description VARCHAR,
  category VARCHAR);
CREATE TABLE {S}.visits (visit_id INTEGER PRIMARY KEY,
  patient_id INTEGER REFERENCES {S}.patients (patient_id),
  doctor_id INTEGER REFERENCES {S}.doctors (doctor_id), scheduled_at TIMESTAMP,
  visit_type VARCHAR, status VARCHAR,
  diagnosis_code VARCHAR REFERENCES {S}.diagnoses (diagnosis_code),
  duration_minutes INTEGER, charge_amount DECIMAL(10, 2), paid_amount DECIMAL(10, 2));
CREATE TABLE {S}.prescriptions (prescription_id INTEGER PRIMARY KEY,
  visit_id INTEGER REFERENCES {S}.visits (visit_id), medication VARCHAR, dose_mg INTEGER,
  days_supply INTEGER, refills INTEGER);
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    dept_names = [d[0] for d in DEPARTMENTS]
    load(con, f"{S}.departments", {
        "department_id": np.arange(1, len(DEPARTMENTS) + 1),
        "name": np.array(dept_names, dtype=object),
        "building": np.array([d[1] for d in DEPARTMENTS], dtype=object),
        "floor": np.array([d[2] for d in DEPARTMENTS])})

    # doctors: more in the busy departments, a few who have left
    per_dept = [max(2, round(d[3] / 2.2)) for d in DEPARTMENTS]
    doc_dept = np.repeat(np.arange(1, len(DEPARTMENTS) + 1), per_dept)
    nd = len(doc_dept)
    hired = days_after(dt.date(2005, 1, 1), rng.integers(0, 365 * 20, nd))
    late = rng.choice(nd, size=nd // 6, replace=False)  # a few joined during the data's years
    hired[late] = days_after(dt.date(2021, 3, 1), rng.integers(0, 365 * 3, len(late)))
    left = np.array([None] * nd, dtype=object)
    for i in rng.choice(nd, size=nd // 7, replace=False):
        h = hired[i].astype(dt.date)
        left[i] = max(h, dt.date(2022, 1, 1)) + dt.timedelta(days=int(rng.integers(30, 900)))
        if list(doc_dept).count(doc_dept[i]) < 3 or i in late:
            left[i] = None
    load(con, f"{S}.doctors", {
        "doctor_id": np.arange(101, 101 + nd),
        "first_name": pick(rng, FIRST_NAMES, nd), "last_name": _unique_last(rng, nd),
        "specialty": np.array([rng.choice(SPECIALTY[dept_names[d - 1]]) for d in doc_dept],
                              dtype=object),
        "department_id": doc_dept, "hired_on": hired, "left_on": left})

    # patients: about 9% never come; ages skewed young-adult and old
    npat = 1600
    age_days = np.concatenate([rng.integers(0, 18 * 365, npat // 4),
                               rng.integers(18 * 365, 90 * 365, npat - npat // 4)])
    rng.shuffle(age_days)
    dob = days_after(dt.date(2025, 1, 1), -age_days)
    reg = np.datetime64("2015-01-01T08:00") + rng.integers(0, 10 * 365 * 1440, npat).astype(
        "timedelta64[m]")
    load(con, f"{S}.patients", {
        "patient_id": np.arange(1, npat + 1), "first_name": pick(rng, FIRST_NAMES, npat),
        "last_name": pick(rng, LAST_NAMES, npat), "date_of_birth": dob,
        "sex": with_nulls(rng, pick(rng, ["F", "M"], npat, [54, 46]), 0.02),
        "city": pick(rng, CITIES, npat, CITY_W),
        "insurance_type": pick(rng, ["Private", "Medicare", "Medicaid", None], npat,
                               [52, 20, 18, 10]),
        "registered_at": reg})
    load(con, f"{S}.diagnoses", {
        "diagnosis_code": np.array([d[0] for d in DIAGNOSES], dtype=object),
        "description": np.array([d[1] for d in DIAGNOSES], dtype=object),
        "category": np.array([d[2] for d in DIAGNOSES], dtype=object)})
    _visits(con, rng, npat, doc_dept, dept_names, dob, hired, left)


def _unique_last(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.array(rng.choice(LAST_NAMES, size=n, replace=False), dtype=object)


def _visits(con, rng, npat, doc_dept, dept_names, dob, hired, left) -> None:
    nv = 7000
    active = rng.random(npat) > 0.09
    weight = rng.pareto(2.5, npat) + 0.3
    weight[~active] = 0
    patient = rng.choice(np.arange(1, npat + 1), size=nv, p=weight / weight.sum())
    dept_w = np.array([d[3] for d in DEPARTMENTS], dtype=float)
    dept = rng.choice(np.arange(1, len(DEPARTMENTS) + 1), size=nv, p=dept_w / dept_w.sum())
    # children go to pediatrics, adults do not
    child = (np.datetime64("2023-01-01") - dob[patient - 1]).astype(int) < 18 * 365
    dept[child & (rng.random(nv) < 0.75)] = 3
    dept[~child & (dept == 3)] = 1
    doc_ids = np.arange(101, 101 + len(doc_dept))
    end = np.array([np.datetime64(x or END, "D") for x in left])
    # volume grows year on year; weekdays only, 8:00-17:30 except the emergency department
    span = (END - START).days + 1
    day = np.floor(span * rng.random(nv) ** 0.8).astype(int)
    date = days_after(START, day)
    wd = (date.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
    date = date + np.where((wd >= 5) & (dept != 2), 7 - wd, 0).astype("timedelta64[D]")
    minute = np.where(dept == 2, rng.integers(0, 1440, nv), 480 + 15 * rng.integers(0, 38, nv))
    sched = date.astype("datetime64[m]") + minute.astype("timedelta64[m]")
    yr = sched.astype("datetime64[Y]").astype(int) + 1970
    day_of = sched.astype("datetime64[D]")
    doctor = np.empty(nv, dtype=int)
    for i in range(nv):  # a doctor working there on that day
        ok = (doc_dept == dept[i]) & (hired <= day_of[i]) & (end > day_of[i])
        doctor[i] = rng.choice(doc_ids[ok] if ok.any() else doc_ids[doc_dept == dept[i]])
    vtype = pick(rng, ["routine", "follow-up", "telehealth", "urgent"], nv, [45, 30, 15, 10])
    vtype[(yr == 2021) & (rng.random(nv) < 0.25)] = "telehealth"
    vtype[dept == 2] = "urgent"
    status = pick(rng, ["completed", "cancelled", "no_show"], nv, [84, 10, 6])
    status[dept == 2] = "completed"
    done = status == "completed"
    dur = np.where(vtype == "urgent", rng.gamma(3, 25, nv), rng.gamma(4, 6, nv)) + 5
    base = {"routine": 160, "follow-up": 110, "telehealth": 85, "urgent": 420}
    charge = np.array([base[t] for t in vtype]) * rng.lognormal(0, 0.35, nv)
    charge = np.where(dept == 10, charge * 3.5, charge)
    paid_frac = pick(rng, [1.0, 0.8, 0.5, None], nv, [74, 8, 6, 12])
    diag_by_dept = {d: [x[0] for x in DIAGNOSES if d in x[3]] for d in dept_names}
    diag = np.array([rng.choice(diag_by_dept[dept_names[d - 1]]) for d in dept], dtype=object)
    diag[~done | (rng.random(nv) < 0.04)] = None
    order = np.argsort(sched, kind="stable")
    vid = np.arange(1, nv + 1)
    load(con, f"{S}.visits", {
        "visit_id": vid, "patient_id": patient[order], "doctor_id": doctor[order],
        "scheduled_at": sched[order], "visit_type": vtype[order], "status": status[order],
        "diagnosis_code": diag[order],
        "duration_minutes": np.where(done, np.round(dur), None)[order],
        "charge_amount": np.where(done, np.round(charge, 2), None)[order],
        "paid_amount": np.array([None if not ok or f is None else round(c * f, 2)
                                 for ok, f, c in zip(done, paid_frac, charge, strict=True)],
                                dtype=object)[order]})
    _prescriptions(con, rng, vid, diag[order])


def _prescriptions(con, rng, vid, diag) -> None:
    cat = {d[0]: d[2] for d in DIAGNOSES}
    rows: list[tuple] = []
    for v, code in zip(vid, diag, strict=True):
        if code is None or rng.random() < 0.35:
            continue
        meds = [m for m in MEDICATIONS if cat[code] in m[2]]
        if not meds:
            continue
        for k in rng.choice(len(meds), size=min(len(meds), 1 + int(rng.random() < 0.3)),
                            replace=False):
            name, doses, _ = meds[k]
            chronic = cat[code] in ("Circulatory", "Endocrine", "Mental health")
            rows.append((int(v), name, int(rng.choice(doses)),
                         int(rng.choice([30, 90]) if chronic else rng.choice([5, 7, 10, 14])),
                         int(rng.choice([0, 1, 2, 3, 5], p=[.4, .2, .15, .15, .1]))))
    cols = list(zip(*rows, strict=True))
    load(con, f"{S}.prescriptions", {
        "prescription_id": np.arange(1, len(rows) + 1), "visit_id": np.array(cols[0]),
        "medication": np.array(cols[1], dtype=object), "dose_mg": np.array(cols[2]),
        "days_supply": np.array(cols[3]), "refills": np.array(cols[4])})
    _comments(con)


def _comments(con) -> None:
    comment(con, f"{S}.departments", "Clinical departments of the clinic.", {
        "department_id": "Department id; doctors.department_id refers to it.",
        "name": "Department name, e.g. 'Cardiology', 'Family Medicine', 'Emergency'.",
        "building": "Building the department is in.", "floor": "Floor number (0 = ground)."})
    comment(con, f"{S}.doctors", "Physicians, one row per doctor (current and former).", {
        "doctor_id": "Doctor id; visits.doctor_id refers to it.",
        "first_name": "First name.", "last_name": "Last name.",
        "specialty": "Medical specialty, e.g. 'Internal Medicine', 'Pediatrics'.",
        "department_id": "departments.department_id the doctor works in.",
        "hired_on": "Date the doctor joined the clinic.",
        "left_on": "Date the doctor left; NULL while still working here."})
    comment(con, f"{S}.patients", "Registered patients, one row per patient.", {
        "patient_id": "Patient id; visits.patient_id refers to it.",
        "first_name": "First name.", "last_name": "Last name.",
        "date_of_birth": "Date of birth.", "sex": "'F' or 'M'; NULL when not recorded.",
        "city": "City of residence.",
        "insurance_type": "'Private', 'Medicare' or 'Medicaid'; NULL = uninsured (self-pay).",
        "registered_at": "When the patient registered with the clinic."})
    comment(con, f"{S}.diagnoses", "ICD-10 diagnosis codes used by the clinic.", {
        "diagnosis_code": "ICD-10 code, e.g. 'I10'; visits.diagnosis_code refers to it.",
        "description": "What the code means, e.g. 'Essential hypertension'.",
        "category": "Broad group, e.g. 'Circulatory', 'Respiratory', 'Mental health'."})
    comment(con, f"{S}.visits", "Appointments, one row per scheduled visit, 2021 to mid-2025.", {
        "visit_id": "Visit id, increasing with scheduled_at.",
        "patient_id": "patients.patient_id of the patient seen.",
        "doctor_id": "doctors.doctor_id of the doctor.",
        "scheduled_at": "Appointment date and time (local time).",
        "visit_type": "'routine', 'follow-up', 'telehealth' or 'urgent'.",
        "status": "'completed', 'cancelled' or 'no_show'.",
        "diagnosis_code": "diagnoses.diagnosis_code of the main diagnosis; NULL unless "
                          "completed (and sometimes missing).",
        "duration_minutes": "Length of the visit in minutes; NULL unless completed.",
        "charge_amount": "Amount billed, USD; NULL unless completed.",
        "paid_amount": "Amount paid so far, USD; NULL while nothing has been paid."})
    comment(con, f"{S}.prescriptions", "Medications prescribed at visits, one row per drug.", {
        "prescription_id": "Prescription id.", "visit_id": "visits.visit_id it was written at.",
        "medication": "Drug name, e.g. 'Metformin'.", "dose_mg": "Dose per unit in mg.",
        "days_supply": "Days the prescription lasts.", "refills": "Refills allowed."})
