from lxml import html
from markupsafe import Markup

from odoo import api, models, tools
from odoo.tools.safe_eval import check_values

#: the records whose e-mails the dunning run renders by the hundred
FAST_RENDERED_MODELS = ("dunning.communication",)


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Reminder bodies are compiled once per text and language, not once
        per e-mail: Odoo compiles an inline QWeb body anew for every record,
        and a night of reminders renders the same four bodies hundreds of
        times. Anything else (other models, rendering options, users whose
        rendering Odoo restricts, bodies without expressions) goes Odoo's
        way."""
        if (
            model not in FAST_RENDERED_MODELS
            or not template_src
            or not res_ids
            # the body field asks for Odoo's post-processing, which
            # _render_template does after this method: not a rendering option
            or set(options or ()) - {"post_process"}
            or not self._dunning_may_render_freely()
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        variables = self._render_eval_context()
        if add_context:
            variables.update(add_context)
        results = {}
        for record in self.env[model].browse(res_ids):
            values = dict(variables, object=record)
            renderer = self.env["ir.qweb"]._prepare_environment(values)
            check_values(values)
            functions, entry = self._dunning_compiled_body(
                template_src, renderer.env.context.get("lang")
            )
            rendered = Markup("".join(functions[entry](renderer, values)))
            # the body was wrapped in a <div> to compile it as one node
            results[record.id] = rendered[len("<div>") : -len("</div>")]
        return results

    def _dunning_may_render_freely(self):
        """Odoo renders without restriction for these users only."""
        return (
            self._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )

    @tools.ormcache("template_src", "lang", cache="templates")
    def _dunning_compiled_body(self, template_src, lang):
        """The compiled QWeb functions of a body (cleared with the other
        compiled templates whenever views or modules change)."""
        # a clean context: only the language may change the compiled code
        qweb = self.env(context={"lang": lang})["ir.qweb"]
        return qweb._compile(
            html.fragment_fromstring(template_src, create_parent="div")
        )
