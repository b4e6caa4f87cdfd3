import { registry } from "@web/core/registry";

// A credit manager opens a customer and reads how it pays.
registry.category("web_tour.tours").add("customer_retention_dunning_payment_behaviour", {
    steps: () => [
        {
            content: "The smart button shows the score out of 100",
            trigger: ".oe_stat_button .o_stat_value:contains('100 / 100')",
        },
        {
            content: "Open the Payment Behaviour tab",
            trigger: "a[name='payment_behaviour']",
            run: "click",
        },
        {
            content: "The band is shown as a badge",
            trigger: ".o_field_widget[name='payment_score_band'] .badge:contains('Excellent')",
        },
        {
            content: "The reasons are shown",
            trigger: ".o_field_widget[name='payment_on_time_share']:contains('100.0')",
        },
        {
            content: "Recompute the score on the spot",
            trigger: "button[name='action_compute_payment_score']",
            run: "click",
        },
        {
            content: "Still excellent after the recompute",
            trigger: ".o_field_widget[name='payment_score_band'] .badge:contains('Excellent')",
        },
    ],
});

// The customers kanban shows each customer's band.
registry.category("web_tour.tours").add("customer_retention_dunning_partner_kanban", {
    steps: () => [
        {
            content: "The scored customer's card carries its score and band",
            trigger: ".o_kanban_record:contains('Drukkerij Punctueel') .badge:contains('Excellent')",
        },
    ],
});

// A collector's day: the work list, the riskiest customer, a promise, a note.
registry.category("web_tour.tours").add("customer_retention_dunning_collector_day", {
    steps: () => [
        {
            content: "My Collections lists the riskiest customer first",
            trigger: ".o_data_row:first .o_data_cell[name='display_name']:contains('Drukkerij Laat')",
            run: "click",
        },
        {
            content: "The customer's score is in the smart button",
            trigger: ".oe_stat_button .o_stat_value:contains('/ 100')",
        },
        {
            content: "Open the Payment Behaviour tab",
            trigger: "a[name='payment_behaviour']",
            run: "click",
        },
        {
            content: "The overdue amount is shown",
            trigger: ".o_field_widget[name='dunning_overdue_amount']:contains('2,000.00')",
        },
        {
            content: "Record a promise to pay",
            trigger: "button[name='action_record_promise']",
            run: "click",
        },
        {
            content: "Enter the promised date",
            trigger: ".modal .o_field_widget[name='date'] input",
            run: "edit 12/31/2099",
        },
        {
            content: "Save the promise",
            trigger: ".modal button[name='action_close_dialog']",
            run: "click",
        },
        {
            content: "The promise is in the customer's chatter",
            trigger: ".o-mail-Message:contains('Promise to pay')",
        },
        {
            content: "Log the call in the chatter",
            trigger: "button.o-mail-Chatter-logNote",
            run: "click",
        },
        {
            content: "Write what was said",
            trigger: ".o-mail-Composer-input",
            run: "edit Called: pays before the end of the year",
        },
        {
            content: "Post the note",
            trigger: ".o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The note is in the chatter",
            trigger: ".o-mail-Message:contains('Called: pays before the end of the year')",
        },
    ],
});

// An accountant marks an invoice as disputed, then lifts the dispute.
registry.category("web_tour.tours").add("customer_retention_dunning_dispute", {
    steps: () => [
        {
            content: "Open the Other Info tab",
            trigger: "a[name='other_info']",
            run: "click",
        },
        {
            content: "Mark the invoice as disputed",
            trigger: ".o_field_widget[name='dunning_blocked'] input",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_field_widget[name='dunning_block_reason'] input",
            run: "edit Delivered goods were damaged",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The dispute date is set",
            trigger: ".o_form_saved .o_field_widget[name='dunning_blocked_date']:not(:empty)",
        },
        {
            content: "Lift the dispute",
            trigger: ".o_field_widget[name='dunning_blocked'] input:checked",
            run: "click",
        },
        {
            content: "Save again",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, the reason is hidden",
            trigger: ".o_form_saved:not(:has(.o_field_widget[name='dunning_block_reason']))",
        },
    ],
});
