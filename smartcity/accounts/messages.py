"""Sentences for the people pages' refusal codes (Korean source, English through gettext)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def people_refusal_message(code: str) -> str:
    messages = {
        "organisation_not_managed": _("이 기관의 계정은 관리할 수 없습니다."),
        "role_not_grantable": _("이 역할은 부여할 수 없습니다."),
        "role_does_not_fit_organisation": _(
            "이 역할은 이 유형의 기관에 둘 수 없습니다. 기관 유형에 맞는 역할을 고르세요."
        ),
        "kind_not_allowed": _("이 유형의 기관은 등록할 수 없습니다."),
        "other_track": _("운영기관은 자기 인증의 기관만 등록할 수 있습니다."),
        "organisation_exists": _("같은 이름의 기관이 이미 있습니다."),
        "username_taken": _("이미 쓰이는 아이디입니다. 다른 아이디를 정하세요."),
        "email_in_use": _("이 전자우편 주소를 쓰는 계정이 이미 있습니다."),
        "invitation_closed": _("이미 수락되었거나 취소된 초대입니다."),
        "invitation_accepted": _(
            "이 초대 링크는 이미 사용되었습니다. 계정이 활성화되었으니 로그인하세요. "
            "비밀번호를 잊었다면 비밀번호 재설정을 이용하세요."
        ),
        "invitation_cancelled": _(
            "이 초대는 취소되었습니다. 초대한 기관에 다시 초대를 요청하세요."
        ),
        "invitation_expired": _(
            "이 초대 링크는 유효기간이 지났습니다. "
            "초대한 기관에 초대를 다시 보내 달라고 요청하세요."
        ),
        "invitation_invalid": _(
            "이 초대 링크는 올바르지 않거나 더 이상 쓸 수 없습니다(초대를 다시 보냈다면 "
            "가장 최근 전자우편의 링크를 여세요)."
        ),
        "no_password_yet": _(
            "이 계정은 초대를 수락하지 않아 비밀번호가 없습니다. "
            "'초대 다시 보내기'로 새 초대를 보내세요. 수락하면 활성화됩니다."
        ),
        "password_already_set": _(
            "이 계정은 이미 비밀번호를 정했습니다. 비활성 상태라면 '다시 활성화'를 누르세요."
        ),
        "own_account": _("자기 계정의 역할이나 활성 상태는 바꿀 수 없습니다."),
    }
    return messages.get(code, code)
