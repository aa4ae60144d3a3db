<?php
/**
 * The block's editor script dependencies (WordPress' globals; no build step).
 *
 * @package OffresEmploi
 */

return array(
	'dependencies' => array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n' ),
	'version'      => '0.1.0',
);
