"""`library`: a city's public library — branches, authors, books (with a book × author bridge),
physical copies, members, loans and fines.

Naming style: snake_case plural tables, declared primary and foreign keys, a COMMENT on every
table and column.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
from heldout.domains.common import FIRST_NAMES, LAST_NAMES, comment, load, pick, with_nulls

S = "library"
BRANCHES = [  # name, district, opened, weight (share of copies and members)
    ("Central Library", "Centre", "1968-05-02", 34), ("Riverside", "Riverside", "1985-09-14", 14),
    ("Northgate", "North", "1991-03-01", 12), ("Elm Park", "West", "2002-11-20", 10),
    ("Harbour View", "Docklands", "2010-06-07", 9), ("Old Town", "Centre", "1975-01-15", 8),
    ("Southfields", "South", "1998-04-18", 7), ("Meadowbrook", "East", "2016-09-03", 6),
    ("Eastbank Pop-up", "East", "2025-03-01", 0),  # opened recently: no copies, no members yet
]
GENRES = ["Fiction", "Crime", "Science Fiction", "Fantasy", "Romance", "Biography", "History",
          "Science", "Children", "Young Adult", "Cookery", "Travel", "Poetry"]
GENRE_W = [22, 14, 7, 8, 9, 6, 7, 5, 13, 6, 3, 3, 1]
WORDS = ["Silent", "River", "Garden", "Night", "Winter", "Glass", "Stone", "Shadow", "Summer",
         "House", "Letters", "Island", "Crown", "Forest", "Harbour", "Memory", "Storm", "Light",
         "Orchard", "Bridge", "Fire", "Salt", "Paper", "Lantern", "Echo", "Iron", "Wild"]
START, END = dt.date(2020, 1, 1), dt.date(2025, 6, 30)

DDL = f"""
CREATE SCHEMA {S};
CREATE TABLE {S}.branches (branch_id INTEGER PRIMARY KEY, branch_name VARCHAR NOT NULL,
  district VARCHAR, opened_date DATE);
CREATE TABLE {S}.authors (author_id INTEGER PRIMARY KEY, full_name VARCHAR NOT NULL,
  nationality VARCHAR, birth_year INTEGER);
CREATE TABLE {S}.books (book_id INTEGER PRIMARY KEY, title VARCHAR NOT NULL, isbn VARCHAR,
  genre VARCHAR, publication_year INTEGER, language VARCHAR, page_count INTEGER);
CREATE TABLE {S}.book_authors (book_id INTEGER REFERENCES {S}.books (book_id),
  author_id INTEGER REFERENCES {S}.authors (author_id), author_role VARCHAR,
  PRIMARY KEY (book_id, author_id));
CREATE TABLE {S}.copies (copy_id INTEGER PRIMARY KEY,
  book_id INTEGER NOT NULL REFERENCES {S}.books (book_id),
  branch_id INTEGER NOT NULL REFERENCES {S}.branches (branch_id), acquired_date DATE,
  purchase_price DECIMAL(8, 2), status VARCHAR);
CREATE TABLE {S}.members (member_id INTEGER PRIMARY KEY, first_name VARCHAR, last_name VARCHAR,
  home_branch_id INTEGER REFERENCES {S}.branches (branch_id), membership_type VARCHAR,
  birth_year INTEGER, joined_date DATE, email VARCHAR);
CREATE TABLE {S}.loans (loan_id INTEGER PRIMARY KEY,
  copy_id INTEGER NOT NULL REFERENCES {S}.copies (copy_id),
  member_id INTEGER NOT NULL REFERENCES {S}.members (member_id), loan_date DATE, due_date DATE,
  return_date DATE, renewals INTEGER);
CREATE TABLE {S}.fines (fine_id INTEGER PRIMARY KEY,
  loan_id INTEGER NOT NULL REFERENCES {S}.loans (loan_id), reason VARCHAR,
  amount DECIMAL(8, 2), issued_date DATE, paid_date DATE);
"""


def build(con: duckdb.DuckDBPyConnection, rng: np.random.Generator) -> None:
    con.execute(DDL)
    nb = len(BRANCHES)
    load(con, f"{S}.branches", {
        "branch_id": np.arange(1, nb + 1),
        "branch_name": np.array([b[0] for b in BRANCHES], dtype=object),
        "district": np.array([b[1] for b in BRANCHES], dtype=object),
        "opened_date": np.array([np.datetime64(b[2]) for b in BRANCHES])})
    bw = [b[3] for b in BRANCHES]
    n_auth = 420
    load(con, f"{S}.authors", {
        "author_id": np.arange(1, n_auth + 1),
        "full_name": np.array([f"{a} {b}" for a, b in zip(pick(rng, FIRST_NAMES, n_auth),
                                                          pick(rng, LAST_NAMES, n_auth),
                                                          strict=True)], dtype=object),
        "nationality": with_nulls(rng, pick(rng, ["British", "American", "Irish", "French",
                                                  "German", "Japanese", "Nigerian", "Indian",
                                                  "Swedish", "Canadian"], n_auth,
                                            [30, 28, 6, 6, 5, 4, 3, 5, 4, 5]), 0.12),
        "birth_year": with_nulls(rng, rng.integers(1920, 1995, n_auth), 0.2)})
    n_books = 2400
    genre = pick(rng, GENRES, n_books, GENRE_W)
    titles = [f"The {rng.choice(WORDS)} {rng.choice(WORDS)}" if rng.random() < 0.5
              else f"{rng.choice(WORDS)} of {rng.choice(WORDS)}" for _ in range(n_books)]
    titles = [f"{t} ({i})" if titles.index(t) != i else t for i, t in enumerate(titles)]
    pages = np.where(np.isin(genre, ["Children"]), rng.integers(24, 120, n_books),
                     rng.integers(140, 720, n_books))
    load(con, f"{S}.books", {
        "book_id": np.arange(1, n_books + 1), "title": np.array(titles, dtype=object),
        "isbn": with_nulls(rng, [f"978{rng.integers(10**9, 10**10)}" for _ in range(n_books)],
                           0.05),
        "genre": genre,
        "publication_year": np.clip(2025 - np.floor(rng.exponential(14, n_books)), 1890,
                                    2025).astype(int),
        "language": pick(rng, ["English", "French", "Spanish", "Polish", "Urdu"], n_books,
                         [88, 4, 4, 2, 2]),
        "page_count": with_nulls(rng, pages, 0.07)})
    # authorship: popularity skewed (a few prolific authors); some books have 2-3 contributors;
    # authors 401-420 have no books in the catalogue
    pop = 1.0 / np.arange(1, 401) ** 0.8
    ba: set[tuple[int, int]] = set()
    roles: dict[tuple[int, int], str] = {}
    for b in range(1, n_books + 1):
        k = rng.choice([1, 2, 3], p=[0.82, 0.14, 0.04])
        for j, a in enumerate(rng.choice(400, size=k, replace=False, p=pop / pop.sum())):
            key = (b, int(a) + 1)
            ba.add(key)
            roles[key] = "Author" if j == 0 else str(rng.choice(["Co-author", "Illustrator",
                                                                 "Translator"]))
    keys = sorted(ba)
    load(con, f"{S}.book_authors", {
        "book_id": np.array([k[0] for k in keys]), "author_id": np.array([k[1] for k in keys]),
        "author_role": np.array([roles[k] for k in keys], dtype=object)})
    # copies: popular books (low ids) have more copies; books 2301-2400 have none (on order)
    ncop = np.minimum(1 + rng.poisson(4.0 / (1 + np.arange(2300) / 300)), 12)
    book_of = np.repeat(np.arange(1, 2301), ncop)
    nc = len(book_of)
    acq = np.array([dt.date(2012, 1, 1) + dt.timedelta(days=int(x))
                    for x in rng.integers(0, (END - dt.date(2012, 1, 1)).days, nc)])
    status = pick(rng, ["Available", "On loan", "Lost", "Withdrawn", "Damaged"], nc,
                  [70, 17, 4, 7, 2])
    load(con, f"{S}.copies", {
        "copy_id": np.arange(1, nc + 1), "book_id": book_of,
        "branch_id": pick(rng, list(range(1, nb + 1)), nc, bw).astype(int),
        "acquired_date": np.array(acq, dtype="datetime64[D]"),
        "purchase_price": with_nulls(rng, np.round(rng.gamma(4, 4.5, nc) + 3, 2), 0.1),
        "status": status})
    nm = 3100
    joined = np.array([dt.date(2008, 1, 1) + dt.timedelta(days=int(x)) for x in
                       np.floor((END - dt.date(2008, 1, 1)).days * rng.random(nm) ** 0.7)])
    mtype = pick(rng, ["Adult", "Child", "Senior", "Student"], nm, [55, 20, 15, 10])
    by = np.where(mtype == "Child", rng.integers(2010, 2020, nm),
                  np.where(mtype == "Senior", rng.integers(1935, 1960, nm),
                           np.where(mtype == "Student", rng.integers(1998, 2007, nm),
                                    rng.integers(1955, 2004, nm))))
    fn, ln = pick(rng, FIRST_NAMES, nm), pick(rng, LAST_NAMES, nm)
    load(con, f"{S}.members", {
        "member_id": np.arange(1, nm + 1), "first_name": fn, "last_name": ln,
        "home_branch_id": with_nulls(rng, pick(rng, list(range(1, nb + 1)), nm, bw).astype(int),
                                     0.03),
        "membership_type": mtype, "birth_year": by,
        "joined_date": np.array(joined, dtype="datetime64[D]"),
        "email": with_nulls(rng, [f"{f.lower()}.{x.lower()}{i}@example.org"
                                  for i, (f, x) in enumerate(zip(fn, ln, strict=True))], 0.3)})
    _loans(con, rng, book_of, acq, joined, nm, nc)


def _loans(con, rng, book_of, acq, joined, nm, nc) -> None:
    activity = rng.pareto(1.3, nm) + 0.05  # a few members borrow a great deal
    activity[rng.random(nm) < 0.22] = 0  # members who never borrowed
    p_m = activity / activity.sum()
    p_c = 1.0 / (book_of ** 0.6)  # popular titles circulate more
    p_c = p_c / p_c.sum()
    loans, fines = [], []
    n = 9800
    mem = rng.choice(nm, size=n, p=p_m)
    cop = rng.choice(nc, size=n, p=p_c)
    for i in range(n):
        lo = max(START, acq[cop[i]], joined[mem[i]])
        if lo >= END:
            continue
        day = lo + dt.timedelta(days=int((END - lo).days * rng.random() ** 0.8))
        # fewer loans in 2020 (closures) and in August
        if (day.year == 2020 and 3 <= day.month <= 6 and rng.random() < 0.8) or \
                (day.month == 8 and rng.random() < 0.3):
            continue
        ren = int(rng.choice([0, 1, 2, 3], p=[0.6, 0.25, 0.1, 0.05]))
        due = day + dt.timedelta(days=21 * (1 + ren))
        late = rng.random()
        if late < 0.03 and (END - day).days > 60:
            ret, reason = None, "Lost"
        elif (END - day).days < 35 and rng.random() < 0.6:
            ret, reason = None, None  # still out
        elif late < 0.25:
            ret, reason = due + dt.timedelta(days=int(rng.gamma(1.5, 8)) + 1), "Late"
        else:
            ret, reason = day + dt.timedelta(days=int(rng.integers(2, 21 * (1 + ren)))), None
        if ret is not None and ret > END:
            ret, reason = None, None
        lid = len(loans) + 1
        loans.append((lid, int(cop[i]) + 1, int(mem[i]) + 1, day, due, ret, ren))
        if reason == "Late":
            amt = round(min(0.25 * (ret - due).days, 10.0), 2)
            fines.append((lid, "Late", amt, ret))
        elif reason == "Lost":
            fines.append((lid, "Lost", round(float(rng.uniform(8, 25)), 2),
                          min(due + dt.timedelta(days=30), END)))
        elif ret is not None and rng.random() < 0.01:
            fines.append((lid, "Damage", round(float(rng.uniform(2, 15)), 2), ret))
    c = list(zip(*loans, strict=True))
    load(con, f"{S}.loans", {
        "loan_id": np.array(c[0]), "copy_id": np.array(c[1]), "member_id": np.array(c[2]),
        "loan_date": np.array(c[3], dtype="datetime64[D]"),
        "due_date": np.array(c[4], dtype="datetime64[D]"),
        "return_date": np.array([None if d is None else np.datetime64(d, "D") for d in c[5]],
                                dtype=object),
        "renewals": np.array(c[6])})
    f = list(zip(*fines, strict=True))
    paid = [None if rng.random() < 0.35 or d > END else
            min(d + dt.timedelta(days=int(rng.integers(0, 90))), END) for d in f[3]]
    load(con, f"{S}.fines", {
        "fine_id": np.arange(1, len(fines) + 1), "loan_id": np.array(f[0]),
        "reason": np.array(f[1], dtype=object), "amount": np.array(f[2]),
        "issued_date": np.array(f[3], dtype="datetime64[D]"),
        "paid_date": np.array([None if d is None else np.datetime64(d, "D") for d in paid],
                              dtype=object)})
    _comments(con)


def _comments(con) -> None:
    comment(con, f"{S}.branches", "Library branches (buildings).", {
        "branch_id": "Branch identifier.", "branch_name": "Name of the branch.",
        "district": "City district the branch is in.", "opened_date": "Date the branch opened."})
    comment(con, f"{S}.authors", "People credited on books: authors, illustrators, translators.",
            {"author_id": "Author identifier.", "full_name": "Name as printed.",
             "nationality": "Nationality; NULL when unknown.",
             "birth_year": "Year of birth; NULL when unknown."})
    comment(con, f"{S}.books", "Catalogue of titles (a book can have many physical copies).", {
        "book_id": "Title identifier.", "title": "Title of the book.", "isbn": "ISBN-13.",
        "genre": "Catalogue genre.", "publication_year": "Year of first publication.",
        "language": "Language of the text.", "page_count": "Number of pages; NULL if unknown."})
    comment(con, f"{S}.book_authors", "Who is credited on which book (many-to-many).", {
        "book_id": "The book.", "author_id": "The credited person.",
        "author_role": "Author (main), Co-author, Illustrator or Translator."})
    comment(con, f"{S}.copies", "Physical copies (items) of a book held at a branch.", {
        "copy_id": "Item identifier (barcode).", "book_id": "The title this copy is of.",
        "branch_id": "Branch that owns the copy.", "acquired_date": "Date the copy was bought.",
        "purchase_price": "Price paid in EUR; NULL for donations.",
        "status": "Available, On loan, Lost, Withdrawn or Damaged."})
    comment(con, f"{S}.members", "Library card holders.", {
        "member_id": "Card number.", "first_name": "First name.", "last_name": "Last name.",
        "home_branch_id": "Branch where the card was issued; NULL for online sign-ups.",
        "membership_type": "Adult, Child, Senior or Student.", "birth_year": "Year of birth.",
        "joined_date": "Date the card was issued.", "email": "E-mail; NULL if not given."})
    comment(con, f"{S}.loans", "Check-outs: one row per copy lent to a member.", {
        "loan_id": "Loan identifier.", "copy_id": "The copy lent.",
        "member_id": "The borrowing member.", "loan_date": "Date checked out.",
        "due_date": "Date due back (after renewals).",
        "return_date": "Date returned; NULL while still out (or lost).",
        "renewals": "Times the loan was renewed."})
    comment(con, f"{S}.fines", "Fines charged on loans.", {
        "fine_id": "Fine identifier.", "loan_id": "The loan fined.",
        "reason": "Late, Lost or Damage.", "amount": "Amount in EUR.",
        "issued_date": "Date the fine was charged.", "paid_date": "Date paid; NULL if unpaid."})
