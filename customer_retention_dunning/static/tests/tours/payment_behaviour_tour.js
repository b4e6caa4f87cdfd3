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
