import { registry } from "@web/core/registry";

// A collector reviews a reminder the night prepared, edits it and sends it.
registry.category("web_tour.tours").add("customer_retention_dunning_review_send", {
    steps: () => [
        {
            content: "The reminder waits in the review queue",
            trigger: ".o_data_row .o_data_cell[name='partner_id']:contains('Hoveniers Groen')",
            run: "click",
        },
        {
            content: "Its text was prepared for the customer",
            trigger: ".o_field_widget[name='review_body'] .odoo-editor-editable p:contains('Dear')",
        },
        {
            content: "Write it personally",
            trigger: ".o_field_widget[name='review_body'] .odoo-editor-editable p:first",
            run: "editor Dear Gert, as agreed on the phone this morning: thank you for paying by Friday.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Send it",
            trigger: "button[name='action_send_reviewed']",
            run: "click",
        },
        {
            content: "It is queued for the mail server",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Queued')",
        },
    ],
});
