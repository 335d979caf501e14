"""The published tables: their names, the columns the loader expects, and one typed loader per table.

Generated from ``models.TABLES`` by ``python scripts/gen_catalog.py``: do not edit (a test checks that it is
current). Importing it imports no data library.
"""
# ruff: noqa: E501 - generated: long code lists stay on one line
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

TableName = Literal[
    'outlets', 'sources', 'organizations', 'people', 'ranks', 'positions', 'meetings', 'participants', 'agreements', 'signatories', 'projects', 'project_updates', 'citations', 'organization_names', 'tenures', 'rank_spells', 'agreement_parties', 'conflicts',
]
Backend = Literal["pandas", "arrow", "polars"]
Dtypes = Literal["pandas", "arrow"]

TABLE_NAMES: tuple[TableName, ...] = (
    'outlets', 'sources', 'organizations', 'people', 'ranks', 'positions', 'meetings', 'participants', 'agreements', 'signatories', 'projects', 'project_updates', 'citations', 'organization_names', 'tenures', 'rank_spells', 'agreement_parties', 'conflicts',
)

#: table → ``(column, kind, nullable, categories, ordered)``; kind: string, date, integer, boolean, list, code
COLUMNS: dict[str, tuple[tuple[str, str, bool, tuple[str, ...] | None, bool], ...]] = {
    'outlets': (
        ('outlet_id', 'string', False, None, False),
        ('name', 'string', False, None, False),
        ('country', 'string', True, None, False),
        ('language', 'string', False, None, False),
        ('outlet_type', 'code', False, ('news_agency', 'ministry_portal', 'government_portal', 'newspaper', 'broadcaster', 'aggregator', 'mirror', 'encyclopedia', 'digest', 'blog', 'other'), False),
        ('url', 'string', False, None, False),
        ('parent_outlet_id', 'string', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'sources': (
        ('source_id', 'string', False, None, False),
        ('title', 'string', False, None, False),
        ('publisher', 'string', False, None, False),
        ('outlet_id', 'string', False, None, False),
        ('url', 'string', False, None, False),
        ('url_status', 'code', False, ('original', 'mirror', 'inferred', 'unknown'), False),
        ('published', 'string', True, None, False),
        ('published_start', 'date', True, None, False),
        ('published_end', 'date', True, None, False),
        ('published_precision', 'code', True, ('day', 'month', 'year'), False),
        ('published_basis', 'code', True, ('printed', 'inferred'), False),
        ('language', 'string', False, None, False),
        ('text_sha256', 'string', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'organizations': (
        ('org_id', 'string', False, None, False),
        ('name_vi', 'string', False, None, False),
        ('name_en', 'string', False, None, False),
        ('name_lo', 'string', True, None, False),
        ('country', 'string', False, None, False),
        ('org_type', 'code', False, ('ministry', 'government', 'party_body', 'state_office', 'police_unit', 'academy', 'embassy', 'representative_office', 'legislature', 'international_forum', 'province', 'other'), False),
        ('parent_org_id', 'string', True, None, False),
        ('predecessor_org_id', 'string', True, None, False),
        ('aliases', 'list', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'people': (
        ('person_id', 'string', False, None, False),
        ('name', 'string', False, None, False),
        ('name_ascii', 'string', False, None, False),
        ('name_lo', 'string', True, None, False),
        ('country', 'string', False, None, False),
        ('aliases', 'list', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'ranks': (
        ('rank_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('rank', 'code', False, ('second_lieutenant', 'first_lieutenant', 'senior_lieutenant', 'captain', 'major', 'lieutenant_colonel', 'colonel', 'senior_colonel', 'brigadier_general', 'major_general', 'lieutenant_general', 'colonel_general', 'general'), True),
        ('rank_label', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('date_start', 'date', False, None, False),
        ('date_end', 'date', False, None, False),
        ('date_precision', 'code', False, ('day', 'month', 'year'), False),
        ('date_basis', 'code', False, ('printed', 'inferred'), False),
        ('basis', 'code', False, ('attested', 'started', 'ended'), False),
        ('meeting_id', 'string', True, None, False),
        ('demotion', 'boolean', False, None, False),
        ('disputed', 'boolean', False, None, False),
        ('note', 'string', True, None, False),
    ),
    'positions': (
        ('position_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('org_id', 'string', False, None, False),
        ('role', 'code', False, ('minister', 'acting_minister', 'deputy_minister', 'prime_minister', 'deputy_prime_minister', 'president', 'vice_president', 'general_secretary', 'politburo_member', 'secretariat_member', 'standing_secretariat_member', 'central_committee_member', 'national_assembly_chair', 'ambassador', 'charge_d_affaires', 'head_of_representative_office', 'department_head', 'provincial_police_director', 'other'), False),
        ('role_label', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('date_start', 'date', False, None, False),
        ('date_end', 'date', False, None, False),
        ('date_precision', 'code', False, ('day', 'month', 'year'), False),
        ('date_basis', 'code', False, ('printed', 'inferred'), False),
        ('basis', 'code', False, ('attested', 'started', 'ended'), False),
        ('meeting_id', 'string', True, None, False),
        ('disputed', 'boolean', False, None, False),
        ('note', 'string', True, None, False),
    ),
    'meetings': (
        ('meeting_id', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('date_start', 'date', False, None, False),
        ('date_end', 'date', False, None, False),
        ('date_precision', 'code', False, ('day', 'month', 'year'), False),
        ('date_basis', 'code', False, ('printed', 'inferred'), False),
        ('city', 'string', True, None, False),
        ('country', 'string', False, None, False),
        ('meeting_type', 'code', False, ('talks', 'courtesy_call', 'reception', 'bilateral_meeting', 'official_visit', 'working_visit', 'conference', 'review_conference', 'signing_ceremony', 'handover_ceremony', 'groundbreaking', 'inauguration', 'other'), False),
        ('title_en', 'string', False, None, False),
        ('summary_en', 'string', False, None, False),
        ('occasion', 'string', True, None, False),
        ('series', 'string', True, None, False),
        ('session', 'integer', True, None, False),
        ('note', 'string', True, None, False),
        ('level', 'code', True, ('ministerial', 'deputy_ministerial', 'leadership', 'working'), False),
    ),
    'participants': (
        ('meeting_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('org_id', 'string', True, None, False),
        ('side', 'code', False, ('VN', 'LA', 'other'), False),
        ('role', 'code', False, ('head_of_delegation', 'host', 'co_chair', 'member', 'other'), False),
        ('title_as_written', 'string', True, None, False),
        ('rank', 'code', True, ('second_lieutenant', 'first_lieutenant', 'senior_lieutenant', 'captain', 'major', 'lieutenant_colonel', 'colonel', 'senior_colonel', 'brigadier_general', 'major_general', 'lieutenant_general', 'colonel_general', 'general'), True),
        ('rank_label', 'string', True, None, False),
    ),
    'agreements': (
        ('agreement_id', 'string', False, None, False),
        ('title_vi', 'string', True, None, False),
        ('title_en', 'string', False, None, False),
        ('agreement_type', 'code', False, ('agreement', 'cooperation_plan', 'implementation_plan', 'mou', 'minutes', 'joint_statement', 'extension_protocol', 'regulation', 'other'), False),
        ('signed', 'string', True, None, False),
        ('signed_start', 'date', True, None, False),
        ('signed_end', 'date', True, None, False),
        ('signed_precision', 'code', True, ('day', 'month', 'year'), False),
        ('signed_basis', 'code', True, ('printed', 'inferred'), False),
        ('meeting_id', 'string', True, None, False),
        ('period_start', 'integer', True, None, False),
        ('period_end', 'integer', True, None, False),
        ('parent_agreement_id', 'string', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'signatories': (
        ('agreement_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('org_id', 'string', True, None, False),
    ),
    'projects': (
        ('project_id', 'string', False, None, False),
        ('name_vi', 'string', True, None, False),
        ('name_en', 'string', False, None, False),
        ('project_type', 'code', False, ('construction', 'equipment', 'it_system', 'training', 'restoration', 'other'), False),
        ('funder_org_id', 'string', True, None, False),
        ('beneficiary_org_id', 'string', True, None, False),
        ('location', 'string', True, None, False),
        ('note', 'string', True, None, False),
    ),
    'project_updates': (
        ('update_id', 'string', False, None, False),
        ('project_id', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('date_start', 'date', False, None, False),
        ('date_end', 'date', False, None, False),
        ('date_precision', 'code', False, ('day', 'month', 'year'), False),
        ('date_basis', 'code', False, ('printed', 'inferred'), False),
        ('status', 'code', False, ('proposed', 'planned', 'groundbreaking', 'under_construction', 'completed', 'handed_over', 'inaugurated', 'ongoing', 'reviewed', 'other'), False),
        ('quantity', 'integer', True, None, False),
        ('unit', 'string', True, None, False),
        ('meeting_id', 'string', True, None, False),
        ('note', 'string', True, None, False),
        ('quantity_kind', 'code', True, ('cumulative', 'increment', 'target', 'capacity'), False),
    ),
    'citations': (
        ('citation_id', 'string', False, None, False),
        ('record_table', 'string', False, None, False),
        ('record_id', 'string', False, None, False),
        ('field', 'string', True, None, False),
        ('source_id', 'string', False, None, False),
        ('quote', 'string', False, None, False),
        ('quote_en', 'string', True, None, False),
    ),
    'organization_names': (
        ('org_id', 'string', False, None, False),
        ('name', 'string', False, None, False),
        ('language', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('date_start', 'date', False, None, False),
        ('date_end', 'date', False, None, False),
        ('date_precision', 'code', False, ('day', 'month', 'year'), False),
        ('date_basis', 'code', False, ('printed', 'inferred'), False),
    ),
    'tenures': (
        ('tenure_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('org_id', 'string', False, None, False),
        ('role', 'code', False, ('minister', 'acting_minister', 'deputy_minister', 'prime_minister', 'deputy_prime_minister', 'president', 'vice_president', 'general_secretary', 'politburo_member', 'secretariat_member', 'standing_secretariat_member', 'central_committee_member', 'national_assembly_chair', 'ambassador', 'charge_d_affaires', 'head_of_representative_office', 'department_head', 'provincial_police_director', 'other'), False),
        ('start', 'string', False, None, False),
        ('start_start', 'date', False, None, False),
        ('start_end', 'date', False, None, False),
        ('start_precision', 'code', False, ('day', 'month', 'year'), False),
        ('start_basis', 'code', False, ('started', 'first_attested'), False),
        ('end', 'string', False, None, False),
        ('end_start', 'date', False, None, False),
        ('end_end', 'date', False, None, False),
        ('end_precision', 'code', False, ('day', 'month', 'year'), False),
        ('end_basis', 'code', False, ('ended', 'succeeded', 'last_attested', 'open'), False),
        ('first_attested', 'string', False, None, False),
        ('last_attested', 'string', False, None, False),
        ('n_facts', 'integer', False, None, False),
        ('disputed', 'boolean', False, None, False),
        ('held_from', 'date', True, None, False),
        ('held_until', 'date', True, None, False),
        ('possible_from', 'date', False, None, False),
        ('possible_until', 'date', False, None, False),
    ),
    'rank_spells': (
        ('spell_id', 'string', False, None, False),
        ('person_id', 'string', False, None, False),
        ('rank', 'code', False, ('second_lieutenant', 'first_lieutenant', 'senior_lieutenant', 'captain', 'major', 'lieutenant_colonel', 'colonel', 'senior_colonel', 'brigadier_general', 'major_general', 'lieutenant_general', 'colonel_general', 'general'), True),
        ('start', 'string', False, None, False),
        ('start_start', 'date', False, None, False),
        ('start_end', 'date', False, None, False),
        ('start_precision', 'code', False, ('day', 'month', 'year'), False),
        ('start_basis', 'code', False, ('started', 'first_attested'), False),
        ('end', 'string', False, None, False),
        ('end_start', 'date', False, None, False),
        ('end_end', 'date', False, None, False),
        ('end_precision', 'code', False, ('day', 'month', 'year'), False),
        ('end_basis', 'code', False, ('ended', 'succeeded', 'last_attested', 'open'), False),
        ('first_attested', 'string', False, None, False),
        ('last_attested', 'string', False, None, False),
        ('n_facts', 'integer', False, None, False),
        ('disputed', 'boolean', False, None, False),
        ('held_from', 'date', True, None, False),
        ('held_until', 'date', True, None, False),
        ('possible_from', 'date', False, None, False),
        ('possible_until', 'date', False, None, False),
    ),
    'agreement_parties': (
        ('agreement_id', 'string', False, None, False),
        ('org_id', 'string', False, None, False),
    ),
    'conflicts': (
        ('conflict_id', 'string', False, None, False),
        ('kind', 'string', False, None, False),
        ('record_table', 'string', False, None, False),
        ('record_id', 'string', False, None, False),
        ('field', 'string', False, None, False),
        ('subject_id', 'string', False, None, False),
        ('date', 'string', False, None, False),
        ('claim_a', 'string', False, None, False),
        ('sources_a', 'list', True, None, False),
        ('record_id_b', 'string', True, None, False),
        ('claim_b', 'string', True, None, False),
        ('sources_b', 'list', True, None, False),
        ('detail', 'string', False, None, False),
        ('treatment', 'string', False, None, False),
    ),
}

__all__ = [
    "TABLE_NAMES", "Backend", "Dtypes", "TableName",
    "load_outlets",
    "load_sources",
    "load_organizations",
    "load_people",
    "load_ranks",
    "load_positions",
    "load_meetings",
    "load_participants",
    "load_agreements",
    "load_signatories",
    "load_projects",
    "load_project_updates",
    "load_citations",
    "load_organization_names",
    "load_tenures",
    "load_rank_spells",
    "load_agreement_parties",
    "load_conflicts",
]


@overload
def load_outlets(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_outlets(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_outlets(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_outlets(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``outlets`` table: Outlets (news agencies, newspapers, portals, mirrors) that published the sources.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        outlet_id : str
            outlet ID (slug)
        name : str
            usual name of the outlet
        country : str
            ISO 3166-1 alpha-2; null for international sites
        language : str
            BCP 47 language of the edition (mul: multilingual)
        outlet_type : category
            kind of outlet
        url : str
            home page
        parent_outlet_id : str
            outlet this one is an edition of, or copies (mirrors)
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_outlets
    >>> df = load_outlets()
    >>> df.columns[0]
    'outlet_id'
    """
    from .api import load

    return load("outlets", backend, dtypes=dtypes)


@overload
def load_sources(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_sources(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_sources(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_sources(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``sources`` table: Published texts quoted as evidence.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        source_id : str
            source ID (slug)
        title : str
            headline as published
        publisher : str
            publisher as credited on the page (free text; see outlet_id)
        outlet_id : str
            outlet that published it
        url : str
            URL as found
        url_status : category
            original, mirror (copy on another host), inferred (derived, not seen) or unknown
        published : str
            publication date (EDTF)
        published_start : datetime64
            earliest day `published` can mean
        published_end : datetime64
            latest day `published` can mean
        published_precision : category
            precision of `published`
        published_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        language : str
            BCP 47 language of the text
        text_sha256 : str
            SHA-256 of the NFC, whitespace-folded text the quotes were checked against
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_sources
    >>> df = load_sources()
    >>> df.columns[0]
    'source_id'
    """
    from .api import load

    return load("sources", backend, dtypes=dtypes)


@overload
def load_organizations(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_organizations(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_organizations(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_organizations(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``organizations`` table: Ministries, governments, party bodies and units.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        org_id : str
            organisation ID (slug)
        name_vi : str
            Vietnamese name: our standard label, like name_en (the renderings as written are in organization_names)
        name_en : str
            English name
        name_lo : str
            Lao name
        country : str
            ISO 3166-1 alpha-2
        org_type : category
            kind of organisation
        parent_org_id : str
            organisation this one belongs to
        predecessor_org_id : str
            organisation this one succeeded
        aliases : list of str
            other names seen, '|'-separated in CSV
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_organizations
    >>> df = load_organizations()
    >>> df.columns[0]
    'org_id'
    """
    from .api import load

    return load("organizations", backend, dtypes=dtypes)


@overload
def load_people(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_people(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_people(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_people(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``people`` table: Officials named in a cooperation context.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        person_id : str
            person ID (slug)
        name : str
            name as Vietnamese sources write it, or the usual romanisation
        name_ascii : str
            name without diacritics
        name_lo : str
            name in Lao script
        country : str
            ISO 3166-1 alpha-2
        aliases : list of str
            every other spelling seen, '|'-separated in CSV
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_people
    >>> df = load_people()
    >>> df.columns[0]
    'person_id'
    """
    from .api import load

    return load("people", backend, dtypes=dtypes)


@overload
def load_ranks(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_ranks(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_ranks(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_ranks(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``ranks`` table: Dated rank facts: attested at a meeting, or a promotion/biographical fact.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        rank_id : str
            rank fact ID
        person_id : str
            whose rank
        rank : ordered category (up the rank ladder)
            rank code (one ladder, see vocabulary)
        rank_label : str
            the rank as written in the source
        date : str
            date of the fact (EDTF)
        date_start : datetime64
            earliest day `date` can mean
        date_end : datetime64
            latest day `date` can mean
        date_precision : category
            precision of `date`
        date_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        basis : category
            attested (held on that date), started (began) or ended
        meeting_id : str
            meeting at which it was attested, if any
        demotion : boolean (nullable)
            an explicit, cited demotion
        disputed : boolean (nullable)
            sources disagree; see conflicts
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_ranks
    >>> df = load_ranks()
    >>> df.columns[0]
    'rank_id'
    """
    from .api import load

    return load("ranks", backend, dtypes=dtypes)


@overload
def load_positions(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_positions(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_positions(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_positions(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``positions`` table: Dated post facts (government, party and police posts).

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        position_id : str
            position fact ID
        person_id : str
            who
        org_id : str
            in which organisation
        role : category
            post code
        role_label : str
            the post as written in the source
        date : str
            date of the fact (EDTF)
        date_start : datetime64
            earliest day `date` can mean
        date_end : datetime64
            latest day `date` can mean
        date_precision : category
            precision of `date`
        date_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        basis : category
            attested, started or ended
        meeting_id : str
            meeting at which it was attested, if any
        disputed : boolean (nullable)
            sources disagree; see conflicts
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_positions
    >>> df = load_positions()
    >>> df.columns[0]
    'position_id'
    """
    from .api import load

    return load("positions", backend, dtypes=dtypes)


@overload
def load_meetings(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_meetings(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_meetings(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_meetings(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``meetings`` table: Talks, visits, receptions, conferences and ceremonies.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        meeting_id : str
            meeting ID (slug, starts with its date)
        date : str
            date (EDTF; an interval for multi-day events)
        date_start : datetime64
            earliest day `date` can mean
        date_end : datetime64
            latest day `date` can mean
        date_precision : category
            precision of `date`
        date_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        city : str
            city
        country : str
            ISO 3166-1 alpha-2 of the venue
        meeting_type : category
            kind of encounter
        title_en : str
            our English title
        summary_en : str
            our one-paragraph English summary
        occasion : str
            occasion (e.g. AMMTC-18, a state visit)
        series : str
            recurring series
        session : Int64 (nullable)
            session number within the series
        note : str
            curators' note
        level : category
            derived: ministerial, leadership, deputy_ministerial or working (rule in docs/temporal.md); null when no participant is recorded

    Examples
    --------
    >>> from vn_la_security import load_meetings
    >>> df = load_meetings()
    >>> df.columns[0]
    'meeting_id'
    """
    from .api import load

    return load("meetings", backend, dtypes=dtypes)


@overload
def load_participants(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_participants(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_participants(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_participants(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``participants`` table: Who took part in which meeting, with the title the source gives.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        meeting_id : str
            meeting
        person_id : str
            participant
        org_id : str
            organisation represented
        side : category
            VN, LA or other
        role : category
            role in the meeting
        title_as_written : str
            title exactly as written in the source
        rank : ordered category (up the rank ladder)
            rank stated in the source (also in `ranks`)
        rank_label : str
            rank as written

    Examples
    --------
    >>> from vn_la_security import load_participants
    >>> df = load_participants()
    >>> df.columns[0]
    'meeting_id'
    """
    from .api import load

    return load("participants", backend, dtypes=dtypes)


@overload
def load_agreements(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_agreements(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_agreements(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_agreements(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``agreements`` table: Agreements, plans, MoUs, minutes and joint statements.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        agreement_id : str
            agreement ID (slug)
        title_vi : str
            Vietnamese title as written
        title_en : str
            English title
        agreement_type : category
            kind of document
        signed : str
            signing date (EDTF), null if unknown
        signed_start : datetime64
            earliest day `signed` can mean
        signed_end : datetime64
            latest day `signed` can mean
        signed_precision : category
            precision of `signed`
        signed_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        meeting_id : str
            meeting where it was signed
        period_start : Int64 (nullable)
            first year covered
        period_end : Int64 (nullable)
            last year covered
        parent_agreement_id : str
            agreement this one implements or extends
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_agreements
    >>> df = load_agreements()
    >>> df.columns[0]
    'agreement_id'
    """
    from .api import load

    return load("agreements", backend, dtypes=dtypes)


@overload
def load_signatories(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_signatories(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_signatories(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_signatories(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``signatories`` table: Who signed which agreement.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        agreement_id : str
            agreement
        person_id : str
            signatory
        org_id : str
            organisation signed for

    Examples
    --------
    >>> from vn_la_security import load_signatories
    >>> df = load_signatories()
    >>> df.columns[0]
    'agreement_id'
    """
    from .api import load

    return load("signatories", backend, dtypes=dtypes)


@overload
def load_projects(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_projects(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_projects(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_projects(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``projects`` table: Cooperation projects: buildings, systems, equipment, training.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        project_id : str
            project ID (slug)
        name_vi : str
            Vietnamese name as written
        name_en : str
            English name
        project_type : category
            kind of project
        funder_org_id : str
            funding organisation
        beneficiary_org_id : str
            receiving organisation
        location : str
            where
        note : str
            curators' note

    Examples
    --------
    >>> from vn_la_security import load_projects
    >>> df = load_projects()
    >>> df.columns[0]
    'project_id'
    """
    from .api import load

    return load("projects", backend, dtypes=dtypes)


@overload
def load_project_updates(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_project_updates(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_project_updates(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_project_updates(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``project_updates`` table: Dated status updates of projects.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        update_id : str
            update ID
        project_id : str
            project
        date : str
            date of the status (EDTF)
        date_start : datetime64
            earliest day `date` can mean
        date_end : datetime64
            latest day `date` can mean
        date_precision : category
            precision of `date`
        date_basis : category
            printed (stated by the source) or inferred (by a documented rule)
        status : category
            status reached or reported
        quantity : Int64 (nullable)
            a count, e.g. offices handed over
        unit : str
            what `quantity` counts
        meeting_id : str
            meeting where it happened or was reported
        note : str
            curators' note
        quantity_kind : category
            cumulative, increment, target or capacity; null when there is no quantity

    Examples
    --------
    >>> from vn_la_security import load_project_updates
    >>> df = load_project_updates()
    >>> df.columns[0]
    'update_id'
    """
    from .api import load

    return load("project_updates", backend, dtypes=dtypes)


@overload
def load_citations(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_citations(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_citations(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_citations(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``citations`` table: Evidence: every row of every other table has at least one.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        citation_id : str
            citation ID (derived, stable)
        record_table : str
            table of the cited row
        record_id : str
            primary key of the cited row ('meeting_id/person_id' for composite keys)
        field : str
            column supported; null = the whole row
        source_id : str
            source quoted
        quote : str
            verbatim quote, original language, NFC, at most 250 characters
        quote_en : str
            our English rendering

    Examples
    --------
    >>> from vn_la_security import load_citations
    >>> df = load_citations()
    >>> df.columns[0]
    'citation_id'
    """
    from .api import load

    return load("citations", backend, dtypes=dtypes)


@overload
def load_organization_names(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_organization_names(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_organization_names(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_organization_names(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``organization_names`` table: Every rendering of an organisation's name, with the period it was in use (one body, many names).

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        org_id : str
            organisation
        name : str
            the name as written in the quoted sources
        language : str
            BCP 47 language of the name
        date : str
            period of use (EDTF): as recorded, or the span of the citing sources' publication dates
        date_start : datetime64
            earliest day `date` can mean
        date_end : datetime64
            latest day `date` can mean
        date_precision : category
            precision of `date`
        date_basis : category
            printed (recorded with the name) or inferred (from the citing sources' publication dates)

    Examples
    --------
    >>> from vn_la_security import load_organization_names
    >>> df = load_organization_names()
    >>> df.columns[0]
    'org_id'
    """
    from .api import load

    return load("organization_names", backend, dtypes=dtypes)


@overload
def load_tenures(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_tenures(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_tenures(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_tenures(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``tenures`` table: Derived: one spell of a person in a post, from the dated position facts (rule in docs/temporal.md).

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        tenure_id : str
            tenure ID: <person>-<role>-<org>-<start>
        person_id : str
            who
        org_id : str
            in which organisation
        role : category
            post code
        start : str
            date of the opening fact (EDTF)
        start_start : datetime64
            earliest day `start` can mean
        start_end : datetime64
            latest day `start` can mean
        start_precision : category
            precision of `start`
        start_basis : category
            started (an appointment is recorded) or first_attested (the earliest fact)
        end : str
            date of the closing fact (EDTF): the end, the last fact, or the successor's start
        end_start : datetime64
            earliest day `end` can mean
        end_end : datetime64
            latest day `end` can mean
        end_precision : category
            precision of `end`
        end_basis : category
            ended, succeeded (closed by the next holder's start), last_attested (a later spell follows) or open (nothing recorded after the last fact)
        first_attested : str
            date (EDTF) of the earliest fact of the spell
        last_attested : str
            date (EDTF) of the latest fact of the spell
        n_facts : Int64 (nullable)
            number of position facts in the spell
        disputed : boolean (nullable)
            a fact of the spell is disputed; see conflicts
        held_from : datetime64
            first day the post is certainly held (null: no such day)
        held_until : datetime64
            last day the post is certainly held (null: no such day)
        possible_from : datetime64
            first day the post may have been held
        possible_until : datetime64
            last day the post may have been held

    Examples
    --------
    >>> from vn_la_security import load_tenures
    >>> df = load_tenures()
    >>> df.columns[0]
    'tenure_id'
    """
    from .api import load

    return load("tenures", backend, dtypes=dtypes)


@overload
def load_rank_spells(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_rank_spells(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_rank_spells(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_rank_spells(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``rank_spells`` table: Derived: the period each rank is known to have been held, from the dated rank facts (docs/temporal.md).

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        spell_id : str
            spell ID: <person>-<rank>-<start>
        person_id : str
            whose rank
        rank : ordered category (up the rank ladder)
            rank code
        start : str
            date of the opening fact (EDTF)
        start_start : datetime64
            earliest day `start` can mean
        start_end : datetime64
            latest day `start` can mean
        start_precision : category
            precision of `start`
        start_basis : category
            started (a promotion is recorded) or first_attested
        end : str
            date of the closing fact (EDTF): the end, the last fact, or the next rank's start
        end_start : datetime64
            earliest day `end` can mean
        end_end : datetime64
            latest day `end` can mean
        end_precision : category
            precision of `end`
        end_basis : category
            ended, succeeded (the next rank began), last_attested or open
        first_attested : str
            date (EDTF) of the earliest fact of the spell
        last_attested : str
            date (EDTF) of the latest fact of the spell
        n_facts : Int64 (nullable)
            number of rank facts in the spell
        disputed : boolean (nullable)
            a fact of the spell is disputed or contradicts a higher rank held before
        held_from : datetime64
            first day the rank is certainly held (null: no such day)
        held_until : datetime64
            last day the rank is certainly held (null: no such day)
        possible_from : datetime64
            first day the rank may have been held
        possible_until : datetime64
            last day the rank may have been held

    Examples
    --------
    >>> from vn_la_security import load_rank_spells
    >>> df = load_rank_spells()
    >>> df.columns[0]
    'spell_id'
    """
    from .api import load

    return load("rank_spells", backend, dtypes=dtypes)


@overload
def load_agreement_parties(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_agreement_parties(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_agreement_parties(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_agreement_parties(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``agreement_parties`` table: Organisations party to each agreement (ministry-to-ministry, city police, trilateral …).

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        agreement_id : str
            agreement
        org_id : str
            party organisation

    Examples
    --------
    >>> from vn_la_security import load_agreement_parties
    >>> df = load_agreement_parties()
    >>> df.columns[0]
    'agreement_id'
    """
    from .api import load

    return load("agreement_parties", backend, dtypes=dtypes)


@overload
def load_conflicts(backend: Literal["pandas"] = ..., *, dtypes: Dtypes = ...) -> pd.DataFrame: ...
@overload
def load_conflicts(backend: Literal["arrow"], *, dtypes: Dtypes = ...) -> pa.Table: ...
@overload
def load_conflicts(backend: Literal["polars"], *, dtypes: Dtypes = ...) -> pl.DataFrame: ...
def load_conflicts(backend: Backend = "pandas", *, dtypes: Dtypes = "pandas") -> pd.DataFrame | pa.Table | pl.DataFrame:
    """Load the ``conflicts`` table: Derived: one row per disagreement between sources, both claims side by side.

    Parameters
    ----------
    backend : {"pandas", "arrow", "polars"}, default "pandas"
        The kind of table to return.
    dtypes : {"pandas", "arrow"}, default "pandas"
        pandas only: ``"pandas"`` gives the column types below, ``"arrow"`` keeps Arrow types
        (``pd.ArrowDtype``).

    Returns
    -------
    pandas.DataFrame, pyarrow.Table or polars.DataFrame
        Columns (pandas types; Arrow and polars keep their own: dates, dictionaries, lists):

        conflict_id : str
            conflict ID (derived, stable)
        kind : str
            rank_mismatch, rank_decrease, seat_clash, role_mismatch, disputed or quantity_mismatch
        record_table : str
            table of the disagreeing rows
        record_id : str
            row of claim A
        field : str
            column in disagreement
        subject_id : str
            person or project the claims are about
        date : str
            date (EDTF) of the disagreement
        claim_a : str
            value given by claim A
        sources_a : list of str
            sources of claim A, '|'-separated in CSV
        record_id_b : str
            row of claim B (null: a single fact marked disputed)
        claim_b : str
            value given by claim B
        sources_b : list of str
            sources of claim B, '|'-separated in CSV
        detail : str
            what disagrees
        treatment : str
            how the dataset treats it, e.g. 'both kept, marked disputed'

    Examples
    --------
    >>> from vn_la_security import load_conflicts
    >>> df = load_conflicts()
    >>> df.columns[0]
    'conflict_id'
    """
    from .api import load

    return load("conflicts", backend, dtypes=dtypes)
