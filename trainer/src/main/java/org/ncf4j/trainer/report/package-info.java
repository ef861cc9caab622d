/** What a training run leaves behind for people and programs: the JSON report and the PNG chart. */
package org.ncf4j.trainer.report;
