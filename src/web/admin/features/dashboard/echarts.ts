/**
 * The slice of ECharts the dashboard draws with. Only ever imported dynamically (TrendChart), so none of it is
 * in the first load of the admin page, and nothing of it reaches the capture bundle.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, TooltipComponent, CanvasRenderer]);

export { init };
