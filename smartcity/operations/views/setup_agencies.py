"""Centre set-up: the agencies linked to the centre (112, 119, disaster rooms)
and their officers, with the end of each officer's certification for video.

Stopping an agency stops this centre's link to it only (``AgencyLink``):
the other centres linked to the same agency keep theirs, and the
confirmation names them. Deactivating an agency or an officer asks for a
confirmation first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from smartcity.accounts.models import User
from smartcity.operations.access import (
    access_admin_tenant,
    access_setup_agency,
    access_setup_agency_link,
    access_setup_officer,
)
from smartcity.operations.errors import StateConflict
from smartcity.operations.forms_setup import (
    AgencyEditForm,
    AgencyForm,
    OfficerEditForm,
    OfficerForm,
)
from smartcity.operations.messages import refusal_message
from smartcity.operations.models import Agency
from smartcity.operations.selectors.setup import (
    EXPIRY_WARNING_DAYS,
    agency_officers,
    centre_agencies,
    current_certification,
    other_centres,
    valid_through,
)
from smartcity.operations.services.agency_setup import (
    add_centre_agency,
    add_officer,
    change_agency,
    change_officer,
    set_agency_link_active,
    set_officer_active,
)


@login_required
def setup_agencies(request: HttpRequest) -> HttpResponse:
    tenant = access_admin_tenant(request.user)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = add_centre_agency(
                tenant=tenant, kind=data["kind"], name_ko=data["name_ko"],
                name_en=data["name_en"], actor=request.user,
            )  # fmt: skip
        except ValueError:
            form.add_error("name_ko", _("같은 이름의 다른 유형 기관이 이미 있습니다."))
        else:
            messages.success(
                request, _("%(name)s을(를) 연계 기관으로 등록했습니다.") % {"name": agency.name_ko}
            )
            return redirect("operations:setup_agency", agency.pk)
    return render(
        request, "operations/setup/agencies.html",
        {"tenant": tenant, "form": form, "agencies": centre_agencies(tenant)},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _agency_page(
    request: HttpRequest, agency: Agency, edit: AgencyEditForm, officer: OfficerForm, status: int
) -> HttpResponse:
    return render(
        request, "operations/setup/agency.html",
        {"tenant": access_admin_tenant(request.user), "agency": agency, "edit_form": edit,
         "officer_form": officer, "officers": agency_officers(agency),
         "warning_days": EXPIRY_WARNING_DAYS,
         "link": access_setup_agency_link(request.user, agency.pk)},
        status=status,
    )  # fmt: skip


@login_required
def setup_agency(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = access_setup_agency(request.user, agency_id)
    edit = AgencyEditForm(initial={"name_ko": agency.name_ko, "name_en": agency.name_en})
    officer = OfficerForm()
    if request.method == "POST" and request.POST.get("form") == "agency":
        edit = AgencyEditForm(request.POST)
        if edit.is_valid():
            change_agency(
                agency=agency, name_ko=edit.cleaned_data["name_ko"],
                name_en=edit.cleaned_data["name_en"], actor=request.user,
            )  # fmt: skip
            messages.success(request, _("기관 정보를 고쳤습니다."))
            return redirect("operations:setup_agency", agency.pk)
    elif request.method == "POST":
        officer = OfficerForm(request.POST)
        if officer.is_valid() and _add_officer(request, agency, officer):
            return redirect("operations:setup_agency", agency.pk)
    failed = request.method == "POST"
    return _agency_page(request, agency, edit, officer, 422 if failed else 200)


def _add_officer(request: HttpRequest, agency: Agency, form: OfficerForm) -> bool:
    data = form.cleaned_data
    if User.objects.filter(username=data["username"]).exists():
        form.add_error("username", _("이미 쓰는 아이디입니다."))
        return False
    try:
        add_officer(
            agency=agency, username=data["username"], password=data["password"],
            display_name=data["display_name"], certified_until=data["certified_until"],
            actor=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        form.add_error("password", exc)
        return False
    except StateConflict as exc:
        form.add_error(None, refusal_message(exc.code))
        return False
    except IntegrityError:
        form.add_error("username", _("이미 쓰는 아이디입니다."))
        return False
    messages.success(
        request, _("담당자 %(name)s을(를) 등록했습니다.") % {"name": data["display_name"]}
    )
    return True


@login_required
def setup_agency_active(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Stop (or run again) this centre's link to the agency, after a
    confirmation that says the other centres linked to it keep theirs."""
    link = access_setup_agency_link(request.user, agency_id)
    agency = link.agency
    running = link.stopped_at is None
    if request.method != "POST":
        return render(
            request, "operations/setup/agency_confirm.html",
            {"tenant": link.tenant, "agency": agency, "link": link, "running": running,
             "others": other_centres(link)},
        )  # fmt: skip
    set_agency_link_active(link=link, active=not running, actor=request.user)
    messages.success(
        request,
        _("%(name)s에 이 센터의 영상 제공을 다시 시작합니다.") % {"name": agency.name_ko}
        if not running
        else _("%(name)s에 이 센터의 영상 제공을 중지했습니다. 다른 센터의 연계는 그대로입니다.")
        % {"name": agency.name_ko},
    )
    return redirect("operations:setup_agency", agency.pk)


@login_required
def setup_officer(request: HttpRequest, agency_id: int, officer_id: int) -> HttpResponse:
    agency, officer = access_setup_officer(request.user, agency_id, officer_id)
    current = current_certification(agency, officer)
    initial = {"display_name": officer.display_name,
               "certified_until": valid_through(current) if current else None}  # fmt: skip
    form = OfficerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        change_officer(
            agency=agency, officer=officer, display_name=form.cleaned_data["display_name"],
            certified_until=form.cleaned_data["certified_until"], actor=request.user,
        )  # fmt: skip
        messages.success(request, _("담당자 정보를 고쳤습니다."))
        return redirect("operations:setup_agency", agency.pk)
    return render(
        request, "operations/setup/officer.html",
        {"tenant": access_admin_tenant(request.user), "agency": agency, "officer": officer,
         "form": form, "certification": current},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
def setup_officer_active(request: HttpRequest, agency_id: int, officer_id: int) -> HttpResponse:
    agency, officer = access_setup_officer(request.user, agency_id, officer_id)
    if request.method != "POST":
        return render(
            request, "operations/setup/officer_confirm.html",
            {"tenant": access_admin_tenant(request.user), "agency": agency, "officer": officer},
        )  # fmt: skip
    set_officer_active(
        agency=agency, officer=officer, active=not officer.is_active, actor=request.user
    )
    messages.success(
        request,
        _("%(name)s 계정을 다시 사용합니다. 영상을 받으려면 인증 만료일을 다시 정하세요.")
        % {"name": officer}
        if officer.is_active
        else _("%(name)s 계정의 사용을 중지하고 영상 열람 인증을 취소했습니다.")
        % {"name": officer},
    )
    return redirect("operations:setup_agency", agency.pk)
