"""`university`: students, courses, instructors, who taught what, and enrolments.

Naming style: singular snake_case tables, integer year columns (entry_year, academic_year,
hire_year) instead of dates, a many-to-many bridge (`teaching_assignment`: course x
instructor x year x term), comments on tables only.
"""
from __future__ import annotations

import duckdb
import numpy as np

from .common import FIRST_NAMES, LAST_NAMES, comment, load, pick

S = "university"
DEPTS = [  # id, name, faculty, building, share of majors
    (1, "Computer Science", "Science & Engineering", "Turing Hall", 18),
    (2, "Mathematics", "Science & Engineering", "Noether Building", 6),
    (3, "Physics", "Science & Engineering", "Curie Labs", 4),
    (4, "Mechanical Engineering", "Science & Engineering", "Watt Building", 9),
    (5, "Biology", "Life Sciences", "Darwin Centre", 11),
    (6, "Chemistry", "Life Sciences", "Curie Labs", 5),
    (7, "Economics", "Social Sciences", "Keynes House", 12),
    (8, "Psychology", "Social Sciences", "Keynes House", 13),
    (9, "History", "Humanities", "Gibbon Hall", 5),
    (10, "English Literature", "Humanities", "Gibbon Hall", 7),
    (11, "Philosophy", "Humanities", "Gibbon Hall", 3),
    (12, "Business Administration", "Business School", "Drucker Building", 14),
]
PREFIX = {1: "CS", 2: "MATH", 3: "PHYS", 4: "ME", 5: "BIO", 6: "CHEM", 7: "ECON", 8: "PSY",
          9: "HIST", 10: "ENG", 11: "PHIL", 12: "BUS"}
TOPICS = {
    1: ["Introduction to Programming", "Data Structures", "Algorithms", "Operating Systems",
        "Databases", "Machine Learning", "Computer Networks", "Compilers", "Computer Graphics"],
    2: ["Calculus I", "Calculus II", "Linear Algebra", "Probability", "Real Analysis",
        "Abstract Algebra", "Numerical Methods"],
    3: ["Mechanics", "Electromagnetism", "Quantum Physics", "Thermodynamics", "Astrophysics"],
    4: ["Statics", "Fluid Mechanics", "Materials Science", "Control Systems", "Robotics"],
    5: ["Cell Biology", "Genetics", "Ecology", "Microbiology", "Evolution", "Neuroscience"],
    6: ["General Chemistry", "Organic Chemistry", "Physical Chemistry", "Biochemistry"],
    7: ["Microeconomics", "Macroeconomics", "Econometrics", "Game Theory", "Public Finance"],
    8: ["Introduction to Psychology", "Cognitive Psychology", "Social Psychology",
        "Developmental Psychology", "Research Methods in Psychology"],
    9: ["World History", "Medieval Europe", "Modern China", "History of Science"],
    10: ["Shakespeare", "The Victorian Novel", "Creative Writing", "Modern Poetry"],
    11: ["Ethics", "Logic", "Philosophy of Mind", "Political Philosophy"],
    12: ["Principles of Accounting", "Marketing", "Corporate Finance", "Organizational Behavior",
         "Entrepreneurship", "Business Analytics"],
}
RANKS = ["Lecturer", "Assistant Professor", "Associate Professor", "Professor"]
GRADES = [("A", 4.0), ("A-", 3.7), ("B+", 3.3), ("B", 3.0), ("B-", 2.7), ("C+", 2.3),
          ("C", 2.0), ("D", 1.0), ("F", 0.0)]
YEARS = range(2019, 2025)  # academic years with teaching data
TERMS = ["Spring", "Fall"]

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.department (dept_id INTEGER PRIMARY KEY, dept_name VARCHAR, faculty VARCHAR,
  building VARCHAR);
CREATE TABLE {S}.student (student_id INTEGER PRIMARY KEY, first_name VARCHAR, last_name VARCHAR,
  major_dept_id INTEGER, entry_year INTEGER, graduation_year INTEGER, home_country VARCHAR,
  scholarship BOOLEAN);
CREATE TABLE {S}.instructor (instructor_id INTEGER PRIMARY KEY, full_name VARCHAR,
  dept_id INTEGER, academic_rank VARCHAR, hire_year INTEGER, salary INTEGER);
CREATE TABLE {S}.course (course_id INTEGER PRIMARY KEY, course_code VARCHAR, title VARCHAR,
  dept_id INTEGER, credits INTEGER, level INTEGER);
CREATE TABLE {S}.teaching_assignment (course_id INTEGER, instructor_id INTEGER,
  academic_year INTEGER, term VARCHAR, role VARCHAR);
CREATE TABLE {S}.enrolment (enrolment_id INTEGER PRIMARY KEY, student_id INTEGER,
  course_id INTEGER, academic_year INTEGER, term VARCHAR, status VARCHAR, grade VARCHAR,
  grade_points DECIMAL(2, 1));
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    c = list(zip(*DEPTS, strict=True))
    load(con, f"{S}.department", {
        "dept_id": np.array(c[0]), "dept_name": np.array(c[1], dtype=object),
        "faculty": np.array(c[2], dtype=object), "building": np.array(c[3], dtype=object)})
    courses = _courses(con, rng)
    instr = _instructors(con, rng)
    _teaching(con, rng, courses, instr)
    students = _students(con, rng)
    _enrolments(con, rng, courses, students)
    con.execute("DROP TABLE offered")
    comment(con, f"{S}.department", "Academic departments, grouped into faculties.")
    comment(con, f"{S}.student", "Students admitted since 2015; graduation_year is NULL until "
                                 "they graduate (and for those who left).")
    comment(con, f"{S}.instructor", "Teaching staff.")
    comment(con, f"{S}.course", "Course catalogue; level 100 to 400.")
    comment(con, f"{S}.teaching_assignment",
            "Who taught which course in which academic year and term (several instructors can "
            "share a course offering).")
    comment(con, f"{S}.enrolment", "One row per student per course offering taken.")


def _courses(con, rng) -> dict:
    ids, codes, titles, depts, credits, levels = [], [], [], [], [], []
    cid = 1
    for d, topics in TOPICS.items():
        for k, title in enumerate(topics):
            level = min(400, 100 * (1 + k * 4 // len(topics)))
            ids.append(cid)
            codes.append(f"{PREFIX[d]} {level + 1 + k}")
            titles.append(title)
            depts.append(d)
            credits.append(int(rng.choice([3, 4, 5, 6], p=[0.45, 0.3, 0.15, 0.1])))
            levels.append(level)
            cid += 1
    out = {"course_id": np.array(ids), "course_code": np.array(codes, dtype=object),
           "title": np.array(titles, dtype=object), "dept_id": np.array(depts),
           "credits": np.array(credits), "level": np.array(levels)}
    load(con, f"{S}.course", out)
    return out


def _instructors(con, rng) -> dict:
    n = 140
    dept = rng.choice(np.arange(1, 13), size=n, p=_w([d[4] + 3 for d in DEPTS]))
    rank = pick(rng, RANKS, n, [25, 30, 25, 20])
    base = {"Lecturer": 62000, "Assistant Professor": 78000, "Associate Professor": 95000,
            "Professor": 125000}
    out = {"instructor_id": np.arange(501, 501 + n),
           "full_name": np.array([f"{a} {b}" for a, b in zip(
               pick(rng, FIRST_NAMES, n), pick(rng, LAST_NAMES, n), strict=True)], dtype=object),
           "dept_id": dept, "academic_rank": rank,
           "hire_year": 1990 + np.floor(34 * rng.random(n) ** 0.7).astype(int),
           "salary": np.array([int(round(base[r] * rng.lognormal(0, 0.12), -2)) for r in rank])}
    load(con, f"{S}.instructor", out)
    return out


def _w(x) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    return a / a.sum()


def _teaching(con, rng, courses, instr) -> None:
    rows = []
    for year in YEARS:
        for term in TERMS:
            for cid, dept in zip(courses["course_id"], courses["dept_id"], strict=True):
                if (cid * 7 + year + len(term)) % 3 == 0:  # each course runs about 2 terms in 3
                    continue
                pool = instr["instructor_id"][(instr["dept_id"] == dept)
                                              & (instr["hire_year"] <= year)]
                if len(pool) == 0:
                    continue
                k = 2 if rng.random() < 0.15 and len(pool) > 1 else 1
                for j, who in enumerate(rng.choice(pool, size=k, replace=False)):
                    role = "Lead" if j == 0 else "Co-teacher"
                    rows.append((int(cid), int(who), year, term, role))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.teaching_assignment", {
        "course_id": np.array(c[0]), "instructor_id": np.array(c[1]),
        "academic_year": np.array(c[2]), "term": np.array(c[3], dtype=object),
        "role": np.array(c[4], dtype=object)})
    con.execute(f"CREATE TEMP TABLE offered AS SELECT DISTINCT course_id, academic_year, term "
                f"FROM {S}.teaching_assignment")


def _students(con, rng) -> dict:
    n = 1500
    entry = rng.choice(np.arange(2015, 2025), size=n, p=_w([6, 7, 8, 9, 9, 10, 11, 12, 13, 15]))
    major = rng.choice(np.arange(1, 13), size=n, p=_w([d[4] for d in DEPTS])).astype(object)
    major[(entry >= 2023) & (rng.random(n) < 0.35)] = None  # undeclared
    dur = rng.choice([3, 4, 5], size=n, p=[0.2, 0.65, 0.15])
    left = rng.random(n) < 0.12
    grad = np.array([int(e + d) if e + d <= 2024 and not lf else None
                     for e, d, lf in zip(entry, dur, left, strict=True)], dtype=object)
    out = {"student_id": np.arange(20001, 20001 + n), "first_name": pick(rng, FIRST_NAMES, n),
           "last_name": pick(rng, LAST_NAMES, n), "major_dept_id": major, "entry_year": entry,
           "graduation_year": grad,
           "home_country": pick(rng, ["United Kingdom", "China", "India", "United States",
                                      "Germany", "Nigeria", "Malaysia", "France", "Brazil"],
                                n, [62, 10, 8, 5, 4, 3, 3, 3, 2]),
           "scholarship": rng.random(n) < 0.18, "_dur": dur, "_left": left}
    load(con, f"{S}.student", {k: v for k, v in out.items() if not k.startswith("_")})
    return out


def _enrolments(con, rng, courses, st) -> None:
    offered = con.execute("SELECT course_id, academic_year, term FROM offered "
                          "ORDER BY academic_year, term, course_id").fetchall()
    by_slot: dict[tuple, list[int]] = {}
    for cid, y, t in offered:
        by_slot.setdefault((y, t), []).append(cid)
    dept_of = dict(zip(courses["course_id"].tolist(), courses["dept_id"].tolist(), strict=True))
    level_of = dict(zip(courses["course_id"].tolist(), courses["level"].tolist(), strict=True))
    pop = {cid: float(rng.lognormal(0, 0.8)) for cid in courses["course_id"].tolist()}
    never = rng.choice(courses["course_id"], size=3, replace=False)  # new courses, no takers
    for cid in never.tolist():
        pop[cid] = 0.0
    ability = rng.normal(0, 0.8, len(st["student_id"]))
    rows: list[tuple] = []
    for i, sid in enumerate(st["student_id"].tolist()):
        e, d, left = int(st["entry_year"][i]), int(st["_dur"][i]), bool(st["_left"][i])
        last = min(2024, e + d - 1 if not left else e + int(rng.integers(0, 2)))
        for y in range(max(e, 2019), last + 1):
            for t in TERMS:
                slot = by_slot.get((y, t), [])
                yr = y - e + 1
                w = np.array([pop[c] * (3 if dept_of[c] == st["major_dept_id"][i] else 1)
                              * (2 if level_of[c] // 100 == min(yr, 4) else 0.5) for c in slot])
                if w.sum() == 0:
                    continue
                for c in rng.choice(slot, size=min(int(rng.integers(2, 5)), int((w > 0).sum())),
                                    replace=False, p=w / w.sum()):
                    rows.append((sid, int(c), y, t, *_outcome(rng, ability[i], y, t)))
    c = list(zip(*rows, strict=True))
    load(con, f"{S}.enrolment", {
        "enrolment_id": np.arange(1, len(rows) + 1), "student_id": np.array(c[0]),
        "course_id": np.array(c[1]), "academic_year": np.array(c[2]),
        "term": np.array(c[3], dtype=object), "status": np.array(c[4], dtype=object),
        "grade": np.array(c[5], dtype=object), "grade_points": np.array(c[6], dtype=object)})


def _outcome(rng, ability: float, year: int, term: str) -> tuple:
    if year == 2024 and term == "Fall":
        return ("Enrolled", None, None)
    if rng.random() < 0.06:
        return ("Withdrawn", None, None)
    score = ability + rng.normal(0, 0.9) + 0.8
    idx = int(np.clip(np.round(4 - score * 1.6), 0, len(GRADES) - 1))
    g, p = GRADES[idx]
    return ("Completed", g, p)
