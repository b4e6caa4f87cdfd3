import { registry } from "@web/core/registry";

// A collector proposes a plan for a customer's two overdue invoices.
registry.category("web_tour.tours").add("customer_retention_dunning_plan_propose", {
    steps: () => [
        {
            content: "Open the Payment Behaviour tab",
            trigger: "a[name='payment_behaviour']",
            run: "click",
        },
        {
            content: "Propose a payment plan",
            trigger: "button[name='action_propose_payment_plan']",
            run: "click",
        },
        {
            content: "Both overdue invoices are in the proposal",
            trigger: ".modal .o_field_widget[name='move_ids'] .o_tag:nth-child(2)",
        },
        {
            content: "Two instalments",
            trigger: ".modal .o_field_widget[name='instalment_count'] input",
            run: "edit 2",
        },
        {
            content: "The schedule shows two dates",
            trigger: ".modal .o_field_widget[name='schedule_preview'] tr:nth-child(2)",
        },
        {
            content: "Send it for approval",
            trigger: ".modal button[name='action_propose']",
            run: "click",
        },
        {
            content: "The plan waits for approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('To Approve')",
        },
    ],
});

// A credit manager approves it from the "to approve" list.
registry.category("web_tour.tours").add("customer_retention_dunning_plan_approve", {
    steps: () => [
        {
            content: "The plan is in the list to approve",
            trigger: ".o_data_row .o_data_cell[name='partner_id']:contains('Hoveniers Groen')",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view button[name='action_approve']",
            run: "click",
        },
        {
            content: "The plan is active",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Active')",
        },
        {
            content: "Its instalments are listed",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row:nth-child(2)",
        },
    ],
});

// The customer follows the plan in the portal.
registry.category("web_tour.tours").add("customer_retention_dunning_plan_portal", {
    steps: () => [
        {
            content: "The portal home lists the payment plans",
            trigger: "a[href='/my/payment_plans']",
            run: "click",
        },
        {
            content: "Open the plan",
            trigger: "table a:contains('PLAN/')",
            run: "click",
        },
        {
            content: "The next instalment is announced",
            trigger: ".o_portal_payment_plan .alert-info:contains('Next instalment')",
        },
        {
            content: "Both instalments are listed with their status",
            trigger: ".o_portal_payment_plan_lines tbody tr:nth-child(2) .badge:contains('Open')",
        },
    ],
});
