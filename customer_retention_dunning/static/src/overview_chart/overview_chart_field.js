import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { cookie } from "@web/core/browser/cookie";
import { getColor, getCustomColor, hexToRGBA } from "@web/core/colors/colors";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { formatFloat } from "@web/core/utils/numbers";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

// young money cool, old money hot: the eye finds the buckets to worry about
const AGE_COLORS = ["#5b8fb9", "#f2c14e", "#f08a4b", "#d9534f", "#8e2c3c"];

/**
 * A chart of the credit-control overview, drawn with the Chart.js that Odoo
 * ships. The field holds the points, computed on the server from the same
 * query as the overview's figures: ``{points: [{key, label, value}]}``.
 * Clicking a bar or a point calls the overview's ``open`` method with the
 * point's key; the method returns the list behind it.
 */
export class OverviewChartField extends Component {
    static template = "customer_retention_dunning.OverviewChartField";
    static props = {
        ...standardFieldProps,
        chartType: { type: String, validate: (type) => ["bar", "line"].includes(type) },
        openMethod: String,
    };

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        this.orm = useService("orm");
        this.action = useService("action");
        this.colorScheme = cookie.get("color_scheme");
        onWillStart(() => loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [this.props.record.data[this.props.name]]
        );
    }

    get data() {
        return this.props.record.data[this.props.name] || { points: [] };
    }

    renderChart() {
        this.chart?.destroy();
        const config =
            this.props.chartType === "bar" ? this.getBarConfig() : this.getLineConfig();
        config.options = {
            ...config.options,
            maintainAspectRatio: false,
            // a click anywhere in a month's or an age's column picks it
            interaction: { mode: "index", intersect: false },
            onClick: (event, elements) => this.onChartClick(elements),
            onHover: (event, elements) => {
                event.native.target.style.cursor = elements.length ? "pointer" : "default";
            },
        };
        this.chart = new Chart(this.canvasRef.el, config);
    }

    get axisColors() {
        return {
            grid: getCustomColor(this.colorScheme, "#d8dadd", "#3C3E4B"),
            label: getCustomColor(this.colorScheme, "#111827", "#E4E4E4"),
        };
    }

    formatAmount(value, humanReadable = false) {
        // an axis reads "45k €", a tooltip the amount to the cent
        const options = humanReadable ? { humanReadable, digits: [16, 0] } : {};
        return formatCurrency(value, this.data.currency_id, options);
    }

    getBarConfig() {
        const points = this.data.points;
        const colors = this.axisColors;
        return {
            type: "bar",
            data: {
                labels: points.map((point) => point.label),
                datasets: [
                    {
                        label: _t("Open Amount"),
                        data: points.map((point) => point.value),
                        backgroundColor: points.map(
                            (point, index) => AGE_COLORS[index % AGE_COLORS.length]
                        ),
                        borderRadius: 3,
                    },
                ],
            },
            options: {
                plugins: {
                    legend: { display: false },
                    tooltip: {
                        callbacks: {
                            label: (item) => this.formatAmount(item.parsed.y),
                        },
                    },
                },
                scales: {
                    x: {
                        grid: { display: false },
                        ticks: { color: colors.label },
                        border: { color: colors.grid },
                    },
                    y: {
                        beginAtZero: true,
                        grid: { color: colors.grid },
                        ticks: {
                            color: colors.label,
                            callback: (value) => this.formatAmount(value, true),
                        },
                        border: { display: false },
                    },
                },
            },
        };
    }

    getLineConfig() {
        const points = this.data.points;
        const colors = this.axisColors;
        const main = getColor(0, this.colorScheme, "odoo");
        const days = (value) => formatFloat(value, { digits: [16, 1] });
        return {
            type: "line",
            data: {
                labels: points.map((point) => point.label),
                datasets: [
                    {
                        label: _t("DSO (Countback)"),
                        data: points.map((point) => point.value),
                        borderColor: main,
                        backgroundColor: hexToRGBA(main, 0.15),
                        fill: "start",
                        borderWidth: 2,
                        pointRadius: 4,
                        pointHoverRadius: 6,
                        tension: 0,
                    },
                ],
            },
            options: {
                plugins: {
                    legend: { display: false },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                `${item.dataset.label}: ${days(item.parsed.y)} ${_t("days")}`,
                        },
                    },
                },
                scales: {
                    x: {
                        grid: { display: false },
                        ticks: { color: colors.label },
                        border: { color: colors.grid },
                    },
                    y: {
                        beginAtZero: true,
                        grid: { color: colors.grid },
                        ticks: { color: colors.label },
                        border: { display: false },
                        title: { display: true, text: _t("days"), color: colors.label },
                    },
                },
            },
        };
    }

    async onChartClick(elements) {
        if (!elements.length) {
            return;
        }
        const point = this.data.points[elements[0].index];
        const action = await this.orm.call(
            this.props.record.resModel,
            this.props.openMethod,
            [[this.props.record.resId], point.key],
            { context: this.props.record.context }
        );
        await this.action.doAction(action);
    }
}

export const overviewChartField = {
    component: OverviewChartField,
    displayName: _t("Overview Chart"),
    supportedTypes: ["json"],
    extractProps: ({ options }) => ({
        chartType: options.type || "bar",
        openMethod: options.open,
    }),
};

registry.category("fields").add("dunning_overview_chart", overviewChartField);
