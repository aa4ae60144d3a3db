<?php
/**
 * Removes the plugin's settings when it is deleted.
 *
 * @package OffresEmploi
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'offres_emploi_settings' );
delete_site_option( 'offres_emploi_settings' );
