from django import forms
from django.utils.translation import gettext_lazy as _

from smartcity.core.uploads import within_upload_limit


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("지표 체계 파일"),
        help_text=_("YAML, JSON 또는 Excel(.xlsx) 문서. 내보낸 파일을 고쳐 다시 올릴 수 있습니다."),
        validators=[within_upload_limit],
    )
    publish = forms.BooleanField(label=_("가져온 뒤 바로 공표(이후 변경 불가)"), required=False)
