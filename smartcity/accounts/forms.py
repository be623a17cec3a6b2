from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role
from smartcity.accounts.domain.people import Manager, creatable_kinds, grantable_roles
from smartcity.accounts.models import Organisation
from smartcity.accounts.services.people import complete_password_reset
from smartcity.core.domain.spreadsheet import control_characters


class SignInForm(forms.Form):
    username = forms.CharField(label=_("아이디"), max_length=150)
    password = forms.CharField(label=_("비밀번호"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


def _no_control_characters(value: str, label: str) -> str:
    found = control_characters(value)
    if found:
        raise forms.ValidationError(
            _("%(field)s에 쓸 수 없는 제어 문자가 있습니다: %(chars)s")
            % {"field": label, "chars": ", ".join(found)}
        )
    return value.strip()


class OrganisationForm(forms.Form):
    """A new organisation; the kinds and tracks offered are the manager's own."""

    name_ko = forms.CharField(label=_("기관명"), max_length=200)
    name_en = forms.CharField(label=_("영문 기관명"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("기관 유형"))
    steward_track = forms.ChoiceField(label=_("관리 운영기관의 인증"), required=False)
    municipality_code = forms.CharField(
        label=_("지방자치단체 행정코드"),
        max_length=5,
        required=False,
        help_text=_("기관 유형이 지방자치단체이면 필수입니다. 예: 고양시 41280"),
    )

    def __init__(self, *args: Any, manager: Manager, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = creatable_kinds(manager, frozenset(OrganisationKind.values))
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [c for c in OrganisationKind.choices if c[0] in kinds]
        track_field = self.fields["steward_track"]
        assert isinstance(track_field, forms.ChoiceField)
        if manager.is_ministry:
            track_field.choices = [("", _("국토교통부만 관리")), *OperatingTrack.choices]
        else:
            track_field.choices = [c for c in OperatingTrack.choices if c[0] == manager.track]
            track_field.initial = manager.track

    def clean_name_ko(self) -> str:
        return _no_control_characters(self.cleaned_data["name_ko"], str(_("기관명")))

    def clean_name_en(self) -> str:
        return _no_control_characters(self.cleaned_data["name_en"], str(_("영문 기관명")))

    def clean(self) -> dict[str, Any]:
        """A municipality's organisation names WHICH municipality, by its
        five-digit code (accounts sits beside municipalities on the floor
        plan, so the register is looked up through the app registry)."""
        cleaned = super().clean() or {}
        code = (cleaned.get("municipality_code") or "").strip()
        cleaned["municipality_id"] = None
        if cleaned.get("kind") != OrganisationKind.MUNICIPALITY:
            return cleaned
        if not code:
            self.add_error(
                "municipality_code", _("지방자치단체를 등록하려면 행정코드를 입력해야 합니다.")
            )
            return cleaned
        municipality = apps.get_model("municipalities", "Municipality")
        found = municipality.objects.filter(code=code).values_list("pk", flat=True).first()
        if found is None:
            self.add_error(
                "municipality_code",
                _("행정코드 '%(code)s'인 지방자치단체가 없습니다.") % {"code": code[:5]},
            )
        cleaned["municipality_id"] = found
        return cleaned


class InviteForm(forms.Form):
    """Invite a person by e-mail to a role in an organisation the manager manages."""

    organisation = forms.ModelChoiceField(
        label=_("소속 기관"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("역할"))
    email = forms.EmailField(label=_("전자우편"), max_length=254)
    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("영문·숫자와 @ . + - _ 만 쓸 수 있습니다."),
    )
    display_name = forms.CharField(label=_("표시 이름"), max_length=100, required=False)

    def __init__(self, *args: Any, manager: Manager, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        roles = grantable_roles(manager)
        role_field.choices = [c for c in Role.choices if c[0] in roles]

    def clean_display_name(self) -> str:
        return _no_control_characters(self.cleaned_data["display_name"], str(_("표시 이름")))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("새 역할"))

    def __init__(self, *args: Any, manager: Manager, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        roles = grantable_roles(manager)
        role_field.choices = [c for c in Role.choices if c[0] in roles]


class AuditedSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """Django's new-password form; saving goes through the accounts service,
    which writes the audit row (a password reset, or accepting an invitation)."""

    def save(self, commit: bool = True) -> Any:
        return complete_password_reset(
            account=self.user, password=self.cleaned_data["new_password1"]
        )
